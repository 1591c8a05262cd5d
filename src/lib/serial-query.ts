import type { SQL } from 'drizzle-orm';
import { type Database, queryRows } from '../db/client';

const tails = new WeakMap<object, Promise<unknown>>();

/**
 * `queryRows`, but the queries of one db client run one after another even when started together
 * with Promise.all. A request then holds a single connection (no extra connection setup per query),
 * and the embedded PGlite server used in dev and tests, whose connection multiplexer mixes up
 * concurrent extended-protocol messages, answers correctly.
 */
export function rows<T extends Record<string, unknown>>(db: Database, query: SQL): Promise<T[]> {
  const previous = tails.get(db) ?? Promise.resolve();
  const run = previous.then(
    () => queryRows<T>(db, query),
    () => queryRows<T>(db, query),
  );
  tails.set(
    db,
    run.catch(() => undefined),
  );
  return run;
}
