import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';

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
