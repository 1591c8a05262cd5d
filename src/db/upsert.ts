import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './client';

/** Rows per statement: well under Postgres' 65,535 bind parameters for our widest tables. */
export const BATCH_ROWS = 500;

export function chunks<T>(rows: readonly T[], size = BATCH_ROWS): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** `SET col = excluded.col` for the given TS column names. */
export function excludedSet<T extends PgTable>(
  table: T,
  columns: readonly (keyof T['$inferInsert'] & string)[],
) {
  // Drizzle types a generic table's columns loosely; every PgTable's columns are PgColumns.
  const all = getTableColumns(table) as Record<string, PgColumn>;
  const set: Record<string, SQL> = {};
  for (const key of columns) set[key] = sql.raw(`excluded."${all[key]!.name}"`);
  return set;
}

/**
 * Multi-row INSERT ... ON CONFLICT DO UPDATE, one statement per BATCH_ROWS rows (never a query per
 * row). `where` can keep newer data from being overwritten by older (out-of-order delivery).
 */
export async function upsertRows<T extends PgTable>(
  db: Database,
  table: T,
  rows: readonly T['$inferInsert'][],
  opts: { target: PgColumn[]; update: readonly (keyof T['$inferInsert'] & string)[]; where?: SQL },
): Promise<number> {
  let written = 0;
  for (const part of chunks(rows)) {
    await db
      .insert(table)
      // Rows are T['$inferInsert'] already; Drizzle cannot infer that through the generic T.
      .values(part as T['$inferInsert'][])
      .onConflictDoUpdate({
        target: opts.target,
        // Drizzle's generic `set` type cannot be satisfied for an arbitrary table; the columns come from it.
        set: excludedSet(table, opts.update) as never,
        ...(opts.where ? { setWhere: opts.where } : {}),
      });
    written += part.length;
  }
  return written;
}

/** Last value wins when a batch carries the same key twice (ON CONFLICT cannot touch a row twice). */
export function dedupeBy<T>(rows: readonly T[], key: (row: T) => string): T[] {
  const map = new Map<string, T>();
  for (const row of rows) map.set(key(row), row);
  return [...map.values()];
}

/**
 * The same upsert with one bind parameter per column: `INSERT … SELECT * FROM unnest($1::type[], …)`.
 * Postgres parses and plans one small statement whatever the row count, which is several times
 * faster than a VALUES list for the bulk paths (orders and their lines).
 */
export async function upsertColumns<T extends PgTable>(
  db: Database,
  table: T,
  rows: readonly T['$inferInsert'][],
  opts: {
    columns: readonly (keyof T['$inferInsert'] & string)[];
    target: PgColumn[];
    update: readonly (keyof T['$inferInsert'] & string)[];
    where?: SQL;
  },
): Promise<number> {
  if (rows.length === 0) return 0;
  // As in excludedSet: a generic table's columns are PgColumns.
  const all = getTableColumns(table) as Record<string, PgColumn>;
  const cols = opts.columns.map((key) => all[key]!);
  const toDriver = (value: unknown): unknown => {
    if (value === undefined || value === null) return null;
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  };
  // Each column travels as one Postgres array literal (drivers would expand a JS array into a list).
  const element = (v: unknown) => {
    const d = toDriver(v);
    return d === null ? 'NULL' : `"${String(d).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  };
  const arrays = cols.map((col, i) => {
    // Column keys are checked against the table's insert type in the signature; rows are read by key.
    const literal = `{${rows.map((r) => element((r as Record<string, unknown>)[opts.columns[i]!])).join(',')}}`;
    return sql`${literal}::${sql.raw(col.getSQLType())}[]`;
  });
  const names = sql.raw(cols.map((c) => `"${c.name}"`).join(', '));
  const target = sql.raw(opts.target.map((c) => `"${c.name}"`).join(', '));
  const set = sql.raw(
    opts.update.map((key) => `"${all[key]!.name}" = excluded."${all[key]!.name}"`).join(', '),
  );
  await db.execute(
    sql`INSERT INTO ${table} (${names}) SELECT * FROM unnest(${sql.join(arrays, sql`, `)})
        ON CONFLICT (${target}) DO UPDATE SET ${set}${opts.where ? sql` WHERE ${opts.where}` : sql``}`,
  );
  return rows.length;
}
