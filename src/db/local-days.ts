import { type SQL, sql } from 'drizzle-orm';

/** `[start, end]` tenant-local days as a half-open instant range predicate on a timestamptz column. */
export function localDayWindow(column: SQL, tz: string, start: string, end: string) {
  return sql`${column} >= (${start}::date::timestamp AT TIME ZONE ${tz}) AND ${column} < ((${end}::date + 1)::timestamp AT TIME ZONE ${tz})`;
}
