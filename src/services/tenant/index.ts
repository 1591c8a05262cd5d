import { eq, sql } from 'drizzle-orm';
import { tenants } from '../../db/schema';
import { NotFoundError, ValidationError } from '../../lib/errors';
import { recordActivity } from '../auth/activity';
import type { RequestContext, TenantContext } from '../context';

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

export async function getTenant(ctx: Pick<TenantContext, 'db' | 'tenant'>): Promise<TenantView> {
  const [row] = await ctx.db.select().from(tenants).where(eq(tenants.id, ctx.tenant.id)).limit(1);
  if (!row) throw new NotFoundError('Tenant not found');
  return tenantView(row);
}

/**
 * Updates the editable settings. Timezone and currency change how every dashboard is bucketed
 * and shown, so they bump the data version (which keys the KV caches).
 */
export async function updateTenant(
  ctx: Pick<RequestContext, 'db' | 'tenant' | 'actor'>,
  patch: TenantPatch,
): Promise<TenantView> {
  if (Object.keys(patch).length === 0) {
    throw new ValidationError('Nothing to update', [
      {
        field: 'json',
        message: 'Give at least one of name, timezone, currency, language',
        code: 'too_small',
      },
    ]);
  }
  const reshapesData = patch.timezone !== undefined || patch.currency !== undefined;
  const [row] = await ctx.db
    .update(tenants)
    .set({
      ...patch,
      ...(reshapesData ? { dataVersion: sql`${tenants.dataVersion} + 1` } : {}),
    })
    .where(eq(tenants.id, ctx.tenant.id))
    .returning();
  if (!row) throw new NotFoundError('Tenant not found');
  await recordActivity(ctx.db, {
    tenantId: ctx.tenant.id,
    userId: ctx.actor.userId,
    action: 'tenant.update',
    entityType: 'tenant',
    entityId: ctx.tenant.id,
    details: { fields: Object.keys(patch) },
  });
  return tenantView(row);
}
