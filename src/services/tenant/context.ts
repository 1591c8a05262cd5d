import { eq } from 'drizzle-orm';
import { tenants } from '../../db/schema';
import { NotFoundError } from '../../lib/errors';
import type { ServiceContext, TenantContext } from '../context';

/** The tenant context for work outside a request (queue consumers, cron), read in one query. */
export async function loadTenantContext(base: ServiceContext, tenantId: string): Promise<TenantContext> {
  const [row] = await base.db
    .select({
      id: tenants.id,
      plan: tenants.plan,
      timezone: tenants.timezone,
      currency: tenants.currency,
      dataVersion: tenants.dataVersion,
    })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .limit(1);
  if (!row) throw new NotFoundError('Tenant not found');
  return { ...base, tenant: { ...row, currency: row.currency.trim() } };
}
