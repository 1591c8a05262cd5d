import { and, eq, isNotNull } from 'drizzle-orm';
import { reportRows, requestReport, waitForReport } from '../../../amazon/reports';
import { PageTokenExpiredError } from '../../../amazon/sp-api';
import type { InventorySummary } from '../../../amazon/sp-types';
import { inventoryHistory, marketplaces, products } from '../../../db/schema';
import { upsertRows } from '../../../db/upsert';
import { todayIn } from '../../../lib/dates';
import { raiseAlerts, resolveAlerts } from '../../alerts/raise';
import type { TenantContext } from '../../context';
import type { SpSyncContext, SyncOutcome } from '../engine/context';
import { retailMarketplaceIds } from '../marketplaces';
import {
  LISTINGS_REPORT,
  listingAsin,
  productFromStock,
  type StockRow,
  snapshotFromStock,
  stockAlerts,
  stockFromListing,
  stockFromSummary,
  stockKey,
} from './inventory-map';

const STOCK_COLUMNS = [
  'fbaStock',
  'fbmStock',
  'inboundStock',
  'reservedStock',
  'totalStock',
  'lastSyncAt',
] as const;
const LISTING_COLUMNS = [
  'sku',
  'title',
  'price',
  'currency',
  'fulfillmentChannel',
  'listingStatus',
  'isActive',
] as const;

/** FBM quantities (and every listing's title, price, status) from the merchant listings report. */
async function readListings(
  ctx: SpSyncContext,
  marketplaceId: string,
  into: Map<string, StockRow>,
  currency: string | null,
): Promise<void> {
  const requested = ctx.run.resume.listingReports ?? {};
  let reportId = requested[marketplaceId];
  if (!reportId) {
    reportId = await requestReport(ctx.sp, {
      reportType: LISTINGS_REPORT.name,
      marketplaceIds: [marketplaceId],
    });
    await ctx.run.remember({ listingReports: { ...requested, [marketplaceId]: reportId } });
  }
  // Amazon cancels the report of a marketplace without listings: nothing to read there.
  const { documentId } = await waitForReport(ctx.sp, reportId, ctx.tuning.poll);
  if (!documentId) return;
  for await (const row of reportRows(ctx.sp, documentId, LISTINGS_REPORT)) {
    const asin = listingAsin(row);
    if (!asin) continue;
    const stock = stockFromListing(row, marketplaceId, currency, into.get(stockKey(asin, marketplaceId)));
    if (stock) into.set(stockKey(asin, marketplaceId), stock);
  }
}

/** How many times an FBA listing whose page token expired is read again from the first page. */
const FBA_LISTING_READS = 3;

/**
 * Every FBA summary of a marketplace. Pages are read back to back (a token lasts 30 seconds), and
 * only a complete listing counts: one whose token expired is read again, a few times at most, and
 * then the attempt fails (transient: the job is retried later).
 */
async function fbaSummaries(
  ctx: SpSyncContext,
  marketplaceId: string,
  skus?: string[],
): Promise<InventorySummary[]> {
  for (let read = 1; ; read++) {
    const summaries: InventorySummary[] = [];
    try {
      for await (const page of ctx.sp.getInventorySummaries(marketplaceId, skus)) summaries.push(...page);
      return summaries;
    } catch (err) {
      if (!(err instanceof PageTokenExpiredError) || read >= FBA_LISTING_READS) throw err;
      ctx.logger.warn('FBA inventory page token expired, reading the listing again', { marketplaceId, read });
    }
  }
}

async function readFbaSummaries(
  ctx: SpSyncContext,
  marketplaceId: string,
  into: Map<string, StockRow>,
  skus?: string[],
): Promise<void> {
  for (const s of await fbaSummaries(ctx, marketplaceId, skus)) {
    if (!s.asin) continue;
    const stock = stockFromSummary(s, marketplaceId, into.get(stockKey(s.asin, marketplaceId)));
    if (stock) into.set(stockKey(s.asin, marketplaceId), stock);
  }
}

/** A targeted refresh reads no listings report: it keeps the FBM quantity already known for the SKU. */
async function addKnownFbm(ctx: SpSyncContext, sku: string, rows: Map<string, StockRow>): Promise<void> {
  const known = await ctx.db
    .select({ asin: products.asin, marketplaceId: products.marketplaceId, fbm: products.fbmStock })
    .from(products)
    .where(and(eq(products.tenantId, ctx.tenant.id), eq(products.sku, sku)));
  for (const k of known) {
    const r = rows.get(stockKey(k.asin, k.marketplaceId));
    if (r) rows.set(stockKey(k.asin, k.marketplaceId), { ...r, fbm: k.fbm, total: r.total + k.fbm });
  }
}

async function writeStock(ctx: SpSyncContext, rows: StockRow[], full: boolean): Promise<void> {
  const now = new Date();
  await upsertRows(
    ctx.db,
    products,
    rows.map((r) => productFromStock(r, ctx.tenant.id, now)),
    {
      target: [products.tenantId, products.asin, products.marketplaceId],
      update: full ? [...LISTING_COLUMNS, ...STOCK_COLUMNS] : STOCK_COLUMNS,
    },
  );
  const day = todayIn(ctx.tenant.timezone, now);
  await upsertRows(
    ctx.db,
    inventoryHistory,
    rows.map((r) => snapshotFromStock(r, ctx.tenant.id, day)),
    {
      target: [
        inventoryHistory.tenantId,
        inventoryHistory.asin,
        inventoryHistory.marketplaceId,
        inventoryHistory.date,
      ],
      update: ['sku', 'fulfillable', 'inbound', 'reserved', 'unfulfillable', 'total'],
    },
  );
}

/** Low-stock alerts from each product's min_stock_alert, evaluated after the write. */
async function evaluateStockAlerts(ctx: Pick<TenantContext, 'db' | 'tenant'>): Promise<number> {
  const levels = await ctx.db
    .select({
      asin: products.asin,
      marketplaceId: products.marketplaceId,
      title: products.title,
      totalStock: products.totalStock,
      minStockAlert: products.minStockAlert,
    })
    .from(products)
    .where(
      and(
        eq(products.tenantId, ctx.tenant.id),
        eq(products.isActive, true),
        isNotNull(products.minStockAlert),
      ),
    );
  const { raise, resolve } = stockAlerts(
    levels.flatMap((l) => (l.minStockAlert === null ? [] : [{ ...l, minStockAlert: l.minStockAlert }])),
  );
  await resolveAlerts(ctx, { dedupeKeys: resolve, resolution: 'Stock back above the alert level' });
  return raiseAlerts(ctx, raise);
}

export async function syncInventory(ctx: SpSyncContext): Promise<SyncOutcome> {
  const { target } = ctx.run;
  const sku = typeof target.sku === 'string' ? target.sku : undefined;
  const marketplaceIds =
    typeof target.marketplaceId === 'string' ? [target.marketplaceId] : await retailMarketplaceIds(ctx);
  const currencies = await ctx.db
    .select({ id: marketplaces.id, currency: marketplaces.currency })
    .from(marketplaces);
  const currencyOf = new Map(currencies.map((c) => [c.id, c.currency]));
  const rows = new Map<string, StockRow>();
  let done = 0;
  for (const mp of marketplaceIds) {
    if (!sku) await readListings(ctx, mp, rows, currencyOf.get(mp) ?? null);
    await readFbaSummaries(ctx, mp, rows, sku ? [sku] : undefined);
    await ctx.run.progress((++done / marketplaceIds.length) * 90, rows.size);
  }
  if (sku) await addKnownFbm(ctx, sku, rows);
  await writeStock(ctx, [...rows.values()], !sku);
  await evaluateStockAlerts(ctx);
  return { records: rows.size, errors: 0, warnings: [] };
}
