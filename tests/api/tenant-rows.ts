import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client';
import { testDb } from './harness';

/**
 * Every table with a tenant_id column, read from the catalogue (not from a list in the code), so
 * a table added later is covered by the deletion and "nothing changed" checks without an edit.
 */
export async function tenantTables(): Promise<string[]> {
  const rows = await queryRows<{ table_name: string }>(
    testDb(),
    sql`SELECT c.table_name::text AS table_name
        FROM information_schema.columns c
        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
        ORDER BY 1`,
  );
  return rows.map((r) => r.table_name);
}

export interface TableState {
  rows: number;
  /** md5 of every row's text, in order: any insert, update or delete changes it. */
  digest: string | null;
}

/** The tenant's rows in every tenant-owned table, plus its tenants row. */
export async function tenantState(tenantId: string): Promise<Record<string, TableState>> {
  const out: Record<string, TableState> = {};
  for (const table of await tenantTables()) {
    const [state] = await queryRows<{ rows: number; digest: string | null }>(
      testDb(),
      sql`SELECT count(*)::int AS rows, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest
          FROM ${sql.identifier(table)} t WHERE t.tenant_id = ${tenantId}`,
    );
    out[table] = { rows: Number(state!.rows), digest: state!.digest };
  }
  const [tenant] = await queryRows<{ rows: number; digest: string | null }>(
    testDb(),
    sql`SELECT count(*)::int AS rows, md5(string_agg(t::text, '|')) AS digest FROM tenants t WHERE t.id = ${tenantId}`,
  );
  out['tenants (own row)'] = { rows: Number(tenant!.rows), digest: tenant!.digest };
  return out;
}

/** Tables in which the tenant still has rows. */
export async function nonEmptyTables(tenantId: string): Promise<string[]> {
  const state = await tenantState(tenantId);
  return Object.entries(state)
    .filter(([, s]) => s.rows > 0)
    .map(([table]) => table)
    .sort();
}
