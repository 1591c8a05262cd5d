import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { clientLimiter } from '../../durable-objects/client-rate-limiter';
import { lwaTokenCache } from '../../durable-objects/lwa-token-cache';
import { sellerQuota } from '../../durable-objects/seller-quota';
import { createDb, queryRows } from '../../src/db/client';

const testEnv = env as typeof env & { DATABASE_URL: string; NEON_WS_PROXY: string; MIGRATION_COUNT: number };

describe('database paths against a real Postgres', () => {
  it('queries through Hyperdrive with postgres.js', async () => {
    const handle = createDb({ HYPERDRIVE: testEnv.HYPERDRIVE });
    try {
      expect(handle.driver).toBe('hyperdrive');
      const rows = await queryRows<{ n: number; v: string }>(
        handle.db,
        sql`select 40 + 2 as n, version() as v`,
      );
      expect(Number(rows[0]?.n)).toBe(42);
      expect(rows[0]?.v).toMatch(/PostgreSQL/);
    } finally {
      await handle.close();
    }
  });

  it('queries directly with the Neon serverless driver over the WebSocket bridge', async () => {
    const handle = createDb({ DATABASE_URL: testEnv.DATABASE_URL, NEON_WS_PROXY: testEnv.NEON_WS_PROXY });
    try {
      expect(handle.driver).toBe('neon');
      const rows = await queryRows<{ n: number }>(handle.db, sql`select 6 * 7 as n`);
      expect(Number(rows[0]?.n)).toBe(42);
    } finally {
      await handle.close();
    }
  });

  it('applied every migration to the empty database and created the core tables', async () => {
    const handle = createDb({ HYPERDRIVE: testEnv.HYPERDRIVE });
    try {
      const applied = await queryRows<{ n: number }>(
        handle.db,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      expect(Number(applied[0]?.n)).toBe(Number(testEnv.MIGRATION_COUNT));
      const tables = await queryRows<{ table_name: string }>(
        handle.db,
        sql`select table_name from information_schema.tables where table_schema = 'public'`,
      );
      const names = tables.map((t) => t.table_name);
      for (const t of [
        'tenants',
        'users',
        'products',
        'orders',
        'order_items',
        'finance_events',
        'sync_jobs',
        'alerts',
      ]) {
        expect(names).toContain(t);
      }
    } finally {
      await handle.close();
    }
  });
});

describe('bindings are reachable', () => {
  it('KV stores and reads a value', async () => {
    await env.CACHE.put('platform:test', 'value-1');
    expect(await env.CACHE.get('platform:test')).toBe('value-1');
  });

  it('R2 stores and reads an object', async () => {
    await env.EXPORTS.put('platform/test.txt', 'hello exports');
    const object = await env.EXPORTS.get('platform/test.txt');
    expect(await object?.text()).toBe('hello exports');
  });

  it('the sync queue accepts a message', async () => {
    // send() rejects when the binding is missing or misconfigured.
    await expect(
      env.SYNC_QUEUE.send({ kind: 'health', sentAt: new Date().toISOString() }),
    ).resolves.not.toBeInstanceOf(Error);
  });

  it('the ClientRateLimiter Durable Object grants within the burst and then asks to wait', async () => {
    const stub = clientLimiter(env, { kind: 'ip', id: `platform-test-${crypto.randomUUID()}` });
    const first = await stub.acquire({ bucket: 'op', rate: 1, burst: 2 });
    const second = await stub.acquire({ bucket: 'op', rate: 1, burst: 2 });
    const third = await stub.acquire({ bucket: 'op', rate: 1, burst: 2 });
    expect([first.granted, second.granted, third.granted]).toEqual([true, true, false]);
    expect(third.waitMs).toBeGreaterThan(0);
    expect(third.waitMs).toBeLessThanOrEqual(1000);
  });

  it("the SellerQuota Durable Object hands out SP-API operation tokens by Amazon's burst", async () => {
    const stub = sellerQuota(env, {
      type: 'SPAPI',
      sellingPartnerId: `PLATFORM-${crypto.randomUUID()}`,
      tenantId: crypto.randomUUID(),
    });
    // getItemOffers: burst 1, 0.5/s (0.1 s latency allowance added to each 2 s period).
    const first = await stub.acquireOperation({ operation: 'getItemOffers' });
    const second = await stub.acquireOperation({ operation: 'getItemOffers' });
    expect([first.granted, second.granted]).toEqual([true, false]);
    expect(second.waitMs).toBeGreaterThan(2000);
    expect(second.waitMs).toBeLessThanOrEqual(2100);
  });

  it('the LwaTokenCache Durable Object refuses a secret it cannot decrypt as an auth failure', async () => {
    const stub = lwaTokenCache(env, { id: crypto.randomUUID() });
    const result = await stub.accessToken({
      tenantId: crypto.randomUUID(),
      secret: { ciphertext: 'AAAA', iv: 'AAAAAAAAAAAAAAAA', keyVersion: 1 },
      lwaBaseUrl: env.LWA_BASE_URL,
      clientId: 'client',
      clientSecret: 'secret',
    });
    expect(result).toMatchObject({ ok: false, kind: 'auth' });
    expect(await stub.tokenRefreshes()).toBe(0);
  });

  it('the TenantHub Durable Object is reachable and starts with no sessions', async () => {
    const stub = env.TENANT_HUB.get(env.TENANT_HUB.idFromName('platform-test'));
    expect(await stub.connections()).toBe(0);
    await runInDurableObject(stub, async (instance) => {
      expect(instance.publish({ type: 'ping' })).toBe(0);
    });
  });
});
