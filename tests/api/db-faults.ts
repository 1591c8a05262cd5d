import { sql } from 'drizzle-orm';
import { testDb } from './harness';

/**
 * For the duration of `run`, every insert into `table` whose `column` equals `marker` fails with
 * `message` (the new row's `%` column values are not available: the message is fixed text, or
 * names the row's email through `NEW.email` when `withEmail` is set) and SQLSTATE `errcode`.
 * Only rows carrying the marker fail, so concurrent tests on the same database are untouched.
 */
export async function withFailingInsert(
  options: { table: string; column: string; marker: string; errcode?: string; withEmail?: boolean },
  run: () => Promise<void>,
): Promise<void> {
  const name = `test_fail_${crypto.randomUUID().replaceAll('-', '')}`;
  const { table, column, marker, errcode = 'P0001' } = options;
  const quotedMarker = marker.replaceAll("'", "''");
  const raise = options.withEmail
    ? `RAISE EXCEPTION 'refused row for %', NEW.email USING ERRCODE = '${errcode}'`
    : `RAISE EXCEPTION 'forced failure' USING ERRCODE = '${errcode}'`;
  await testDb().execute(
    sql.raw(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${raise}; END $$`),
  );
  await testDb().execute(
    sql.raw(
      `CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW WHEN (NEW.${column} = '${quotedMarker}') EXECUTE FUNCTION ${name}()`,
    ),
  );
  try {
    await run();
  } finally {
    await testDb().execute(sql.raw(`DROP TRIGGER ${name} ON ${table}`));
    await testDb().execute(sql.raw(`DROP FUNCTION ${name}()`));
  }
}
