import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { queryRows } from '../../db/client';
import { NotFoundError } from '../../lib/errors';

export interface TenantPrefs {
  timezone: string;
  currency: string;
}

/** Time zone (whose days every view uses) and reporting currency of a tenant. */
export async function tenantPrefs(db: Database, tenantId: string): Promise<TenantPrefs> {
  const [row] = await queryRows<{ timezone: string; currency: string }>(
    db,
    sql`SELECT timezone, currency FROM tenants WHERE id = ${tenantId}`,
  );
  if (!row) throw new NotFoundError('Tenant not found');
  return { timezone: row.timezone, currency: row.currency.trim() };
}
