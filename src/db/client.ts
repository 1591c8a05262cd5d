import { neonConfig, Pool } from '@neondatabase/serverless';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzleNeon } from 'drizzle-orm/neon-serverless';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
/** A client or an open transaction: helpers that only read and write work with both. */
export type Db = Database | Parameters<Parameters<Database['transaction']>[0]>[0];

export interface DbHandle {
  db: Database;
  /** Which path was taken: Hyperdrive + postgres.js (TCP) or the Neon serverless driver (WebSocket). */
  driver: 'hyperdrive' | 'neon';
  /** Ends the connection; pass to `ctx.waitUntil` so the response is not delayed. */
  close: () => Promise<void>;
}

export interface DbConfig {
  HYPERDRIVE?: Hyperdrive;
  DATABASE_URL?: string;
  /** Local WebSocket-to-TCP bridge for the Neon driver, e.g. "127.0.0.1:5480/v1". Empty in production. */
  NEON_WS_PROXY?: string;
}

/**
 * Postgres cancels any statement running longer than this (`statement_timeout`, sent when the
 * connection starts), so a runaway query cannot hold a pooled connection. An API request waits
 * for its answer, so it gets a short bound; queue consumers and cron run bulk upserts and rollups
 * and get a long one, still under Hyperdrive's own 60 s query limit so Postgres, not the pool,
 * stops the query (the backend is freed instead of left running).
 */
export const REQUEST_STATEMENT_TIMEOUT_MS = 10_000;
export const BACKGROUND_STATEMENT_TIMEOUT_MS = 50_000;

export interface DbOptions {
  /** Default BACKGROUND_STATEMENT_TIMEOUT_MS; requests pass REQUEST_STATEMENT_TIMEOUT_MS. */
  statementTimeoutMs?: number;
}

/**
 * One client per request (or per queue batch): Workers must not share sockets across requests.
 * Hyperdrive is preferred; DATABASE_URL with the Neon driver is the direct path (previews, scripts).
 */
export function createDb(config: DbConfig, options: DbOptions = {}): DbHandle {
  const statementTimeout = options.statementTimeoutMs ?? BACKGROUND_STATEMENT_TIMEOUT_MS;
  if (config.HYPERDRIVE) {
    // fetch_types stays on so raw queries get text[] as arrays; prepare stays on (Hyperdrive supports it).
    const client = postgres(config.HYPERDRIVE.connectionString, {
      max: 5,
      onnotice: () => {},
      connection: { statement_timeout: statementTimeout },
    });
    return {
      // Both drivers' databases share PgDatabase's query API; only their result HKTs differ.
      db: drizzlePostgres(client, { schema }) as unknown as Database,
      driver: 'hyperdrive',
      // Not `client.end()`: postgres.js's Workers socket polyfill then rejects a pending read with
      // "This socket has been closed" outside any promise we hold (an unhandled rejection). The
      // runtime closes the socket when the request's I/O context ends; Hyperdrive keeps the pool.
      close: async () => {},
    };
  }
  if (config.DATABASE_URL) {
    if (config.NEON_WS_PROXY) useLocalBridge(config.NEON_WS_PROXY);
    const pool = new Pool({ connectionString: config.DATABASE_URL, statement_timeout: statementTimeout });
    // An idle client whose socket drops emits 'error' on the pool; unheard, that is an uncaught
    // exception. The pool discards the client and the next query opens a new one.
    pool.on('error', (err: Error) =>
      console.warn(
        JSON.stringify({ level: 'warn', message: 'idle database client lost', error: err.message }),
      ),
    );
    return {
      // See above: one Database type for both drivers.
      db: drizzleNeon(pool, { schema }) as unknown as Database,
      driver: 'neon',
      close: () => pool.end(),
    };
  }
  throw new Error('No database configured: bind HYPERDRIVE or set DATABASE_URL');
}

function useLocalBridge(proxy: string): void {
  // Plain local Postgres behind a bridge speaks no TLS and cannot pipeline Neon's auth shortcut.
  neonConfig.wsProxy = proxy;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
}

/**
 * Runs raw SQL and returns rows whatever the driver (postgres.js returns an array, Neon `{ rows }`).
 * `T` names the row the SQL selects (its columns cast in SQL so the types are honest): the one
 * place a raw result is typed, so no caller casts.
 */
export async function queryRows<T extends object>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
