import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { tenants } from '../../db/schema';
import { NotFoundError } from '../../lib/errors';
import { recordActivity } from '../auth/activity';

export interface TenantContext {
  db: Database;
  tenantId: string;
  userId: string;
}

export interface TenantPatch {
  name?: string;
  timezone?: string;
  currency?: string;
  language?: 'pt-BR' | 'en-US';
}

function tenantView(t: typeof tenants.$inferSelect) {
  return {
    id: t.id,
    name: t.name,
    plan: t.plan,
    status: t.status,
    timezone: t.timezone,
    currency: t.currency,
    language: t.language,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

export type TenantView = ReturnType<typeof tenantView>;

export async function getTenant(ctx: TenantContext): Promise<TenantView> {
  const [row] = await ctx.db.select().from(tenants).where(eq(tenants.id, ctx.tenantId)).limit(1);
  if (!row) throw new NotFoundError('Tenant not found');
  return tenantView(row);
}

/**
 * Updates the editable settings. Timezone and currency change how every dashboard is bucketed
 * and shown, so they bump the data version (which keys the KV caches).
 */
export async function updateTenant(ctx: TenantContext, patch: TenantPatch): Promise<TenantView> {
  const reshapesData = patch.timezone !== undefined || patch.currency !== undefined;
  const [row] = await ctx.db
    .update(tenants)
    .set({
      ...patch,
      ...(reshapesData ? { dataVersion: sql`${tenants.dataVersion} + 1` } : {}),
    })
    .where(eq(tenants.id, ctx.tenantId))
    .returning();
  if (!row) throw new NotFoundError('Tenant not found');
  await recordActivity(ctx.db, {
    tenantId: ctx.tenantId,
    userId: ctx.userId,
    action: 'tenant.update',
    entityType: 'tenant',
    entityId: ctx.tenantId,
    details: { fields: Object.keys(patch) },
  });
  return tenantView(row);
}
