import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { tenants } from '../../../db/schema';

/**
 * Why a tenant's syncs must not run (a suspended tenant is not synced: no Amazon calls, no writes),
 * or null when it is active. A tenant that no longer exists is not active either.
 */
export async function inactiveTenantReason(db: Db, tenantId: string): Promise<string | null> {
  const [row] = await db.select({ status: tenants.status }).from(tenants).where(eq(tenants.id, tenantId));
  if (!row) return 'Tenant no longer exists: sync skipped';
  return row.status === 'active' ? null : `Tenant is ${row.status}: sync skipped`;
}
