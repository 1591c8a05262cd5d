import { and, eq, inArray, sql } from 'drizzle-orm';
import { products } from '../../db/schema';
import { todayIn } from '../../lib/dates';
import { NotFoundError, ValidationError } from '../../lib/errors';
import { bumpDataVersion } from '../cache';
import type { TenantContext } from '../context';
import { findProductRow } from './detail';
import { toProduct } from './map';

export interface ProductUpdate {
  minStockAlert?: number | null;
  maxStock?: number | null;
  targetMargin?: number | null;
  notes?: string | null;
  tags?: string[];
  customFields?: Record<string, unknown>;
  leadTimeDays?: number;
  safetyStockDays?: number;
}

function columnsOf(u: ProductUpdate) {
  return {
    ...(u.minStockAlert !== undefined && { minStockAlert: u.minStockAlert }),
    ...(u.maxStock !== undefined && { maxStock: u.maxStock }),
    ...(u.targetMargin !== undefined && {
      targetMargin: u.targetMargin === null ? null : String(u.targetMargin),
    }),
    ...(u.notes !== undefined && { notes: u.notes }),
    ...(u.tags !== undefined && { tags: u.tags }),
    ...(u.customFields !== undefined && { customFields: u.customFields }),
    ...(u.leadTimeDays !== undefined && { leadTimeDays: u.leadTimeDays }),
    ...(u.safetyStockDays !== undefined && { safetyStockDays: u.safetyStockDays }),
  };
}

/** maxStock must stay above minStockAlert, counting the stored value of the field not sent. */
function limitsProblem(
  u: ProductUpdate,
  stored: { minStockAlert: number | null; maxStock: number | null },
): string | null {
  const min = u.minStockAlert !== undefined ? u.minStockAlert : stored.minStockAlert;
  const max = u.maxStock !== undefined ? u.maxStock : stored.maxStock;
  if (min !== null && max !== null && max <= min)
    return `maxStock (${max}) must be greater than minStockAlert (${min})`;
  return null;
}

/** Scope: one marketplace listing, or every listing of the ASIN when no marketplace is given. */
function scope(tenantId: string, asins: string[], marketplaceId?: string) {
  const parts = [eq(products.tenantId, tenantId), inArray(products.asin, asins)];
  if (marketplaceId) parts.push(eq(products.marketplaceId, marketplaceId));
  return and(...parts);
}

type ProductsContext = Pick<TenantContext, 'db' | 'tenant'>;

/** Edits the planning fields of one listing, or of every listing of the ASIN without a marketplace. */
export async function updateProduct(
  ctx: ProductsContext,
  input: { asin: string; marketplaceId?: string; update: ProductUpdate },
) {
  const { asin, marketplaceId, update } = input;
  const where = scope(ctx.tenant.id, [asin], marketplaceId);
  const stored = await ctx.db
    .select({ minStockAlert: products.minStockAlert, maxStock: products.maxStock })
    .from(products)
    .where(where);
  if (stored.length === 0) throw new NotFoundError('Product not found');
  for (const s of stored) {
    const problem = limitsProblem(update, s);
    if (problem)
      throw new ValidationError(problem, [{ field: 'body.maxStock', message: problem, code: 'too_small' }]);
  }
  const set = columnsOf(update);
  if (Object.keys(set).length > 0) {
    await ctx.db
      .update(products)
      .set({ ...set, updatedAt: sql`now()` })
      .where(where);
    // Stock limits and targets change bands, counts and recommendations shown in cached views.
    await bumpDataVersion(ctx.db, ctx.tenant.id);
  }
  const row = await findProductRow(ctx, { asin, marketplaceId, today: todayIn(ctx.tenant.timezone) });
  return { success: true as const, product: toProduct(row, ctx.tenant.currency) };
}

/** The same edit for many ASINs (every listing of each); ASINs that fail are reported, not fatal. */
export async function bulkUpdateProducts(
  ctx: ProductsContext,
  input: { asins: string[]; update: ProductUpdate },
) {
  const unique = [...new Set(input.asins)];
  const stored = await ctx.db
    .select({ asin: products.asin, minStockAlert: products.minStockAlert, maxStock: products.maxStock })
    .from(products)
    .where(scope(ctx.tenant.id, unique));
  const errors: Array<{ asin: string; reason: string }> = [];
  const ok: string[] = [];
  for (const asin of unique) {
    const rows = stored.filter((s) => s.asin === asin);
    if (rows.length === 0) {
      errors.push({ asin, reason: 'Product not found' });
      continue;
    }
    const problem = rows.map((r) => limitsProblem(input.update, r)).find(Boolean);
    if (problem) errors.push({ asin, reason: problem });
    else ok.push(asin);
  }
  const set = columnsOf(input.update);
  if (ok.length > 0 && Object.keys(set).length > 0) {
    await ctx.db
      .update(products)
      .set({ ...set, updatedAt: sql`now()` })
      .where(scope(ctx.tenant.id, ok));
    await bumpDataVersion(ctx.db, ctx.tenant.id);
  }
  return { success: errors.length === 0, updated: ok.length, failed: errors.map((e) => e.asin), errors };
}
