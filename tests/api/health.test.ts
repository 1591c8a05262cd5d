import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { clientLimiter } from '../../durable-objects/client-rate-limiter';
import worker from '../../src/index';
import type { QueueMessage } from '../../src/messages';
import { checkHealth, HEALTH_CACHE_MS, QUEUE_PROBE_INTERVAL_MS } from '../../src/services/health';
import { testDb, uniqueIp } from './harness';

describe('GET /api/health', () => {
  it('is healthy with every check ok when database, KV, R2 and queue answer', async () => {
    const res = await exports.default.fetch('http://api.test/api/health');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      version: string;
      checks: Record<string, { status: string }>;
    };
    expect(body.status).toBe('healthy');
    expect(body.version).toBe(env.APP_VERSION);
    for (const name of ['database', 'cache', 'storage', 'queue'])
      expect(body.checks[name]?.status).toBe('ok');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('is degraded (503) with the failing check named when the database is unreachable', async () => {
    const brokenEnv = {
      ...env,
      HYPERDRIVE: {
        ...env.HYPERDRIVE,
        connectionString: 'postgres://postgres:postgres@127.0.0.1:1/postgres',
      },
    };
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request('http://api.test/api/health'), brokenEnv as typeof env, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; checks: Record<string, { status: string }> };
    expect(body.status).toBe('degraded');
    expect(body.checks.database?.status).toBe('error');
    expect(body.checks.cache?.status).toBe('ok');
  });

  it('is degraded when KV fails', async () => {
    const failingKv = {
      get: () => Promise.reject(new Error('kv down')),
    } as unknown as KVNamespace;
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request('http://api.test/api/health'),
      { ...env, CACHE: failingKv },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { checks: Record<string, { status: string; error?: string }> };
    expect(body.checks.cache).toMatchObject({ status: 'error', error: 'kv down' });
    expect(body.checks.database?.status).toBe('ok');
  });
});

/** The real bindings, counting what the health checks touch (a fresh env object: its own cache). */
function countingEnv() {
  const counts = { kv: 0, r2: 0, queue: 0 };
  const counted = {
    ...env,
    CACHE: {
      get: (key: string) => {
        counts.kv++;
        return env.CACHE.get(key);
      },
    } as unknown as KVNamespace,
    EXPORTS: {
      head: (key: string) => {
        counts.r2++;
        return env.EXPORTS.head(key);
      },
    } as unknown as R2Bucket,
    SYNC_QUEUE: {
      send: (body: QueueMessage) => {
        counts.queue++;
        return env.SYNC_QUEUE.send(body);
      },
    } as unknown as Queue<QueueMessage>,
  };
  return { counts, env: counted };
}

async function health(bindings: typeof env, ip = uniqueIp()) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request('http://api.test/api/health', { headers: { 'cf-connecting-ip': ip } }),
    bindings,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

describe('GET /api/health under a flood', () => {
  it(`runs the checks once per ${HEALTH_CACHE_MS / 1000} s however many requests arrive`, async () => {
    const { counts, env: bindings } = countingEnv();
    const first = await health(bindings);
    expect(first.status).toBe(200);
    const { timestamp } = (await first.json()) as { timestamp: string };
    for (let i = 0; i < 20; i++) {
      const res = await health(bindings);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { timestamp: string }).timestamp).toBe(timestamp);
    }
    expect(counts).toEqual({ kv: 1, r2: 1, queue: 1 });
  });

  it('re-checks after the cache expires but probes the queue at most once a minute', async () => {
    const { counts, env: bindings } = countingEnv();
    const ctx = { db: testDb(), env: bindings };
    const start = Date.now();
    const clock = vi.spyOn(Date, 'now');
    try {
      clock.mockReturnValue(start);
      await checkHealth(ctx);
      clock.mockReturnValue(start + HEALTH_CACHE_MS + 1);
      const second = await checkHealth(ctx);
      expect(second.checks.queue.status).toBe('ok');
      expect(counts).toEqual({ kv: 2, r2: 2, queue: 1 });
      clock.mockReturnValue(start + QUEUE_PROBE_INTERVAL_MS + 1);
      await checkHealth(ctx);
      expect(counts).toEqual({ kv: 3, r2: 3, queue: 2 });
    } finally {
      clock.mockRestore();
    }
  });

  it('is limited per client IP: a limited address gets 429 and costs no check', async () => {
    const { counts, env: bindings } = countingEnv();
    const ip = uniqueIp();
    const stub = clientLimiter(env, { kind: 'ip', id: ip });
    await stub.acquire({ bucket: 'api', rate: 1e-9, burst: 1, cost: 1 });
    const res = await health(bindings, ip);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeTruthy();
    const body = (await res.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(counts).toEqual({ kv: 0, r2: 0, queue: 0 });
  });
});
