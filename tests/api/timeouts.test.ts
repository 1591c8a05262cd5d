import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { AmazonError } from '../../src/amazon/errors';
import { AMAZON_CALL_TIMEOUT_MS, DEFAULT_RETRY } from '../../src/amazon/http';
import { SpApiClient } from '../../src/amazon/sp-api';
import {
  BACKGROUND_STATEMENT_TIMEOUT_MS,
  createDb,
  queryRows,
  REQUEST_STATEMENT_TIMEOUT_MS,
} from '../../src/db/client';
import { control, freshSeller, SANDBOX, sellerAccessToken } from './sync-helpers';

/** What each driver was told to send at connection start (postgres.js `connection`, pg `statement_timeout`). */
function configuredTimeout(handle: ReturnType<typeof createDb>): number | undefined {
  const client = (handle.db as unknown as { $client: { options: Record<string, unknown> } }).$client;
  const { options } = client;
  const connection = options.connection as { statement_timeout?: number } | undefined;
  return handle.driver === 'hyperdrive'
    ? connection?.statement_timeout
    : (options.statement_timeout as number);
}

/** The server's view of the session, and whether the server is PGlite. */
async function serverTimeout(handle: ReturnType<typeof createDb>) {
  try {
    const [row] = await queryRows<{ timeout: string; version: string }>(
      handle.db,
      sql`SELECT current_setting('statement_timeout') AS timeout, version() AS version`,
    );
    return { timeout: row?.timeout, pglite: row?.version.includes('PGlite') ?? false };
  } finally {
    await handle.close();
  }
}

describe('Postgres statement timeout', () => {
  it('is sent when the connection starts: short for requests, long for background work, both drivers', async () => {
    expect(REQUEST_STATEMENT_TIMEOUT_MS).toBe(10_000);
    expect(BACKGROUND_STATEMENT_TIMEOUT_MS).toBe(50_000);
    const { DATABASE_URL } = env as typeof env & { DATABASE_URL: string };
    const configs = [{ HYPERDRIVE: env.HYPERDRIVE }, { DATABASE_URL, NEON_WS_PROXY: env.NEON_WS_PROXY }];
    for (const config of configs) {
      for (const [options, expected, shown] of [
        [{ statementTimeoutMs: REQUEST_STATEMENT_TIMEOUT_MS }, 10_000, '10s'],
        [{}, 50_000, '50s'],
      ] as const) {
        const handle = createDb(config, options);
        expect(configuredTimeout(handle), handle.driver).toBe(expected);
        const server = await serverTimeout(handle);
        // PGlite (the local test database) is one shared session that ignores startup parameters
        // and never cancels a statement; a real Postgres (CI's TEST_DATABASE_URL) applies them.
        if (!server.pglite) expect(server.timeout, handle.driver).toBe(shown);
      }
    }
  });
});

describe('Amazon call timeout', () => {
  it('aborts an attempt that takes too long and retries it like a 5xx (sandbox slowMs fault)', async () => {
    expect(DEFAULT_RETRY.timeoutMs).toBe(AMAZON_CALL_TIMEOUT_MS);
    const seller = freshSeller();
    const token = await sellerAccessToken(seller);
    let attempts = 0;
    const client = (timeoutMs: number) =>
      new SpApiClient({
        baseUrl: SANDBOX,
        tokens: { get: async () => token },
        gate: { acquire: async () => ({ granted: true, waitMs: 0 }), observe: async () => {} },
        priority: 'high',
        policy: { ...DEFAULT_RETRY, baseMs: 1, maxRetries: 1, timeoutMs },
        fetcher: (input, init) => {
          attempts++;
          return fetch(input, init);
        },
      });
    await control(`/sellers/${seller}/faults`, { slowMs: 5_000 });
    const started = Date.now();
    const error = await client(500)
      .getMarketplaceParticipations()
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(AmazonError);
    expect(error).toMatchObject({ kind: 'transient' });
    expect((error as AmazonError).message).toMatch(
      /getMarketplaceParticipations: timed out after 500 ms \(2 attempts\)/,
    );
    expect(attempts).toBe(2);
    // Two aborted attempts, not two full 5 s waits.
    expect(Date.now() - started).toBeLessThan(4_000);

    await control(`/sellers/${seller}/faults`, {}, 'DELETE');
    attempts = 0;
    const ok = await client(AMAZON_CALL_TIMEOUT_MS).getMarketplaceParticipations();
    expect(ok.payload.length).toBeGreaterThan(0);
    expect(attempts).toBe(1);
  });
});
