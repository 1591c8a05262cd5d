import { createExecutionContext, createMessageBatch, createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sellerQuota } from '../../durable-objects/seller-quota';
import { queryRows } from '../../src/db/client';
import { syncJobs } from '../../src/db/schema';
import type { SyncMessage } from '../../src/messages';
import { createJobs } from '../../src/services/sync/engine/jobs';
import { messageFor } from '../../src/services/sync/engine/queue';
import { handleScheduled } from '../../workers/scheduler';
import { consumeSyncDeadLetters } from '../../workers/sync-consumer';
import { api, createTenant, testDb } from './harness';
import {
  appEnv,
  connectSettled,
  connectTenant,
  consentFlow,
  jobRow,
  REDIRECT,
  settle,
  US,
} from './sync-helpers';

const json = async <T = Record<string, unknown>>(res: Response) => (await res.json()) as T;

describe('POST /api/sync/manual', () => {
  it('queues one job per type (202) with an estimated time from the remaining quota', async () => {
    const { tenant } = await connectSettled();
    const res = await api('/api/sync/manual', {
      method: 'POST',
      as: tenant.owner,
      json: { types: ['orders', 'inventory', 'pricing'] },
    });
    expect(res.status).toBe(202);
    const body = await json<{
      jobId: string;
      status: string;
      estimatedTime: number;
      jobs: { jobId: string; type: string }[];
    }>(res);
    expect(body.status).toBe('queued');
    expect(body.jobs.map((j) => j.type).sort()).toEqual(['inventory', 'orders', 'pricing']);
    expect(body.jobId).toBe(body.jobs[0]!.jobId);
    expect(body.estimatedTime).toBeGreaterThan(0);
    const job = await jobRow(tenant.id, body.jobId);
    expect(job).toMatchObject({
      trigger: 'manual',
      priority: 'high',
      status: expect.stringMatching(/queued|processing|success/),
    });
    for (const j of body.jobs) await settle(tenant.id, j.jobId);
  });

  it('estimates longer when the quota is used up', async () => {
    const { tenant, sellerId } = await connectSettled();
    const rl = sellerQuota(env, { type: 'SPAPI', sellingPartnerId: sellerId, tenantId: tenant.id });
    const fresh = await json<{ estimatedTime: number }>(
      await api('/api/sync/manual', { method: 'POST', as: tenant.owner, json: { types: ['orders'] } }),
    );
    for (let i = 0; i < 25; i++) await rl.acquireOperation({ operation: 'searchOrders', priority: 'high' });
    const busy = await json<{ estimatedTime: number }>(
      await api('/api/sync/manual', { method: 'POST', as: tenant.owner, json: { types: ['orders'] } }),
    );
    // searchOrders refills one call every ~180 s.
    expect(busy.estimatedTime).toBeGreaterThanOrEqual(fresh.estimatedTime + 150);
  });

  it('validates the body and needs a connected account', async () => {
    const tenant = await createTenant();
    const post = (body: unknown) => api('/api/sync/manual', { method: 'POST', as: tenant.owner, json: body });
    expect((await post({ types: [] })).status).toBe(400);
    expect((await post({ types: ['everything'] })).status).toBe(400);
    expect((await post({ types: ['orders'], extra: 1 })).status).toBe(400);
    expect(
      (await post({ types: ['orders'], dateRange: { startDate: '2026-02-01', endDate: '2026-01-01' } }))
        .status,
    ).toBe(400);
    const res = await post({ types: ['orders'] });
    expect(res.status).toBe(409);
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe('CONFLICT');
  });

  it('needs sync.run and a token', async () => {
    const tenant = await createTenant();
    const viewer = await tenant.addUser('viewer');
    expect(
      (await api('/api/sync/manual', { method: 'POST', as: viewer, json: { types: ['orders'] } })).status,
    ).toBe(403);
    expect((await api('/api/sync/manual', { method: 'POST', json: { types: ['orders'] } })).status).toBe(401);
  });
});

describe('GET /api/sync/status', () => {
  it('reports current jobs, last sync, next scheduled sync, API health and per-operation rate limits', async () => {
    const { tenant } = await connectSettled();
    const [queued] = await createJobs(testDb(), [
      { tenantId: tenant.id, type: 'pricing', trigger: 'manual', priority: 'high' },
    ]);
    const res = await api('/api/sync/status', { as: tenant.owner });
    expect(res.status).toBe(200);
    const body = await json<{
      currentJobs: { id: string }[];
      lastSync: { timestamp: string; recordsProcessed: number };
      nextScheduledSync: string;
      apiHealth: { spapi: string; ads: string };
      rateLimits: {
        spapi: { operations: { operation: string; rate: number; burst: number; tokens: number }[] };
      };
    }>(res);
    expect(body.currentJobs.map((j) => j.id)).toContain(queued!.id);
    const [last] = await queryRows<{ records_processed: number }>(
      testDb(),
      sql`SELECT records_processed FROM sync_jobs WHERE tenant_id = ${tenant.id} AND finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT 1`,
    );
    expect(body.lastSync.recordsProcessed).toBe(last!.records_processed);
    // PRO: hourly, at the top of the next hour.
    const next = new Date(body.nextScheduledSync);
    expect(next.getUTCMinutes()).toBe(0);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(3_600_000);
    expect(body.apiHealth).toEqual({ spapi: 'healthy', ads: 'down' });
    const report = body.rateLimits.spapi.operations.find((o) => o.operation === 'createReport')!;
    expect(report).toMatchObject({ rate: 0.0167, burst: 15 });
    expect(report.tokens).toBeLessThan(15);
    await settle(tenant.id, queued!.id);
  });

  it('is tenant-scoped and needs sync.view', async () => {
    const { tenant } = await connectSettled();
    const other = await createTenant();
    const body = await json<{ currentJobs: unknown[]; lastSync: unknown }>(
      await api('/api/sync/status', { as: other.owner }),
    );
    expect(body.currentJobs).toEqual([]);
    expect(body.lastSync).toBeNull();
    expect((await api('/api/sync/status', { as: await tenant.addUser('viewer') })).status).toBe(200);
    expect((await api('/api/sync/status')).status).toBe(401);
  });
});

describe('GET /api/sync/history', () => {
  it('filters, paginates and computes success rate, average duration and total records', async () => {
    const tenant = await createTenant();
    const t0 = new Date('2026-06-01T00:00:00Z');
    const seeded = [
      { type: 'orders', status: 'success', records: 100, duration: 1000, day: 1 },
      { type: 'orders', status: 'failed', records: 0, duration: 3000, day: 2 },
      { type: 'inventory', status: 'success', records: 40, duration: 500, day: 3 },
      { type: 'orders', status: 'partial', records: 7, duration: 1500, day: 4 },
      { type: 'orders', status: 'queued', records: 0, duration: null, day: 5 },
    ] as const;
    await testDb()
      .insert(syncJobs)
      .values(
        seeded.map((s) => ({
          tenantId: tenant.id,
          type: s.type,
          trigger: 'schedule' as const,
          status: s.status,
          recordsProcessed: s.records,
          durationMs: s.duration,
          queuedAt: new Date(t0.getTime() + s.day * 86_400_000),
        })),
      );
    const get = async (q: string) =>
      json<{
        history: { type: string; status: string }[];
        pagination: { total: number; pages: number; page: number };
        statistics: { successRate: number; avgDuration: number; totalRecords: number };
      }>(await api(`/api/sync/history?${q}`, { as: tenant.owner }));
    const all = await get('page=1&limit=2');
    const finished = seeded.filter((s) => s.status !== 'queued');
    expect(all.pagination).toMatchObject({
      total: finished.length,
      pages: Math.ceil(finished.length / 2),
      page: 1,
    });
    expect(all.history).toHaveLength(2);
    expect(all.history[0]!.status).toBe('partial');
    expect(all.statistics.successRate).toBe(
      Math.round((finished.filter((s) => s.status === 'success').length / finished.length) * 10_000) / 100,
    );
    expect(all.statistics.avgDuration).toBe(
      Math.round(finished.reduce((a, s) => a + (s.duration ?? 0), 0) / finished.length),
    );
    expect(all.statistics.totalRecords).toBe(finished.reduce((a, s) => a + s.records, 0));
    const orders = await get('type=orders&status=success');
    expect(orders.pagination.total).toBe(1);
    expect(orders.statistics).toEqual({ successRate: 100, avgDuration: 1000, totalRecords: 100 });
    const ranged = await get(
      `startDate=${new Date(t0.getTime() + 2 * 86_400_000).toISOString()}&endDate=${new Date(t0.getTime() + 3.5 * 86_400_000).toISOString()}`,
    );
    expect(ranged.history.map((h) => h.type).sort()).toEqual(['inventory', 'orders']);
    const other = await createTenant();
    expect(
      (await json<{ pagination: { total: number } }>(await api('/api/sync/history', { as: other.owner })))
        .pagination.total,
    ).toBe(0);
    expect((await api('/api/sync/history?status=queued', { as: tenant.owner })).status).toBe(400);
    expect((await api('/api/sync/history?limit=1000', { as: tenant.owner })).status).toBe(400);
    expect((await api('/api/sync/history?bogus=1', { as: tenant.owner })).status).toBe(400);
  });
});

describe('Amazon connection endpoints', () => {
  it('connects, stores only ciphertext, lists the connection, queues the backfill and disconnects', async () => {
    const { tenant, sellerId, body } = await connectTenant();
    expect(body).toMatchObject({
      success: true,
      credentials: { type: 'SPAPI', marketplaceIds: [US], isActive: true, sellingPartnerId: sellerId },
    });
    expect((body.jobs as { type: string }[]).map((j) => j.type).sort()).toEqual([
      'finance',
      'inventory',
      'orders',
    ]);
    const [cred] = await queryRows<{ encrypted_refresh_token: string; key_version: number }>(
      testDb(),
      sql`SELECT encrypted_refresh_token, key_version FROM amazon_credentials WHERE tenant_id = ${tenant.id}`,
    );
    expect(cred!.encrypted_refresh_token).not.toContain('Atzr');
    expect(cred!.key_version).toBe(2);
    const list = await api('/api/auth/connect-amazon', { as: tenant.owner });
    const text = await list.text();
    expect(list.status).toBe(200);
    expect(text).toContain(sellerId);
    expect(text).not.toContain('Atzr');
    expect(text).not.toContain(cred!.encrypted_refresh_token);
    const market = await queryRows<{ marketplace_id: string; participating: boolean }>(
      testDb(),
      sql`SELECT marketplace_id, participating FROM tenant_marketplaces WHERE tenant_id = ${tenant.id}`,
    );
    expect(market.filter((m) => m.participating).map((m) => m.marketplace_id)).toEqual([US]);
    const del = await api('/api/auth/connect-amazon', { method: 'DELETE', as: tenant.owner });
    expect(await del.json()).toEqual({ success: true, dataDeleted: false });
    expect(
      (await api('/api/sync/manual', { method: 'POST', as: tenant.owner, json: { types: ['orders'] } }))
        .status,
    ).toBe(409);
  });

  it('rejects a used or invalid code, unknown marketplaces, and callers without settings.manage', async () => {
    const tenant = await createTenant();
    const seller = `ASBXTINY${crypto
      .randomUUID()
      .slice(0, 6)
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, 'Q')}`;
    const flow = await consentFlow(tenant.owner, seller);
    const connect = (json: unknown, as = tenant.owner) =>
      api('/api/auth/connect-amazon', { method: 'POST', as, json });
    const base = { ...flow, redirectUri: REDIRECT, region: 'na' };
    expect((await connect({ ...base, marketplaceIds: [US] }, await tenant.addUser('analyst'))).status).toBe(
      403,
    );
    const unknownMarket = await connect({ ...base, marketplaceIds: ['A1VC38T7YXB528'] });
    expect(unknownMarket.status).toBe(400);
    // The code was spent by the previous attempt: Amazon answers invalid_grant.
    const reused = await connect({ ...base, marketplaceIds: [US] });
    expect(reused.status).toBe(400);
    expect(await reused.text()).toMatch(/authorization code/);
    expect((await connect({ ...base, authorizationCode: 'nonsense', marketplaceIds: [US] })).status).toBe(
      400,
    );
    expect((await connect({ ...base, region: 'moon' })).status).toBe(400);
    expect((await connect({ ...base, marketplaceIds: [US], secret: 1 })).status).toBe(400);
    expect((await api('/api/auth/connect-amazon', { method: 'POST', json: base })).status).toBe(401);
  });

  it('gives a consent URL bound to the tenant', async () => {
    const tenant = await createTenant();
    const res = await api(
      `/api/auth/connect-amazon/consent-url?redirectUri=${encodeURIComponent(REDIRECT)}`,
      { as: tenant.owner },
    );
    const body = await json<{ url: string; state: string }>(res);
    const url = new URL(body.url);
    expect(url.pathname).toBe('/apps/authorize/consent');
    expect(url.searchParams.get('state')).toBe(body.state);
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT);
    expect(
      (await api('/api/auth/connect-amazon/consent-url?redirectUri=notaurl', { as: tenant.owner })).status,
    ).toBe(400);
  });
});

describe('cron and dead letters', () => {
  it('hourly enqueues orders, inventory and pricing for PRO, nothing for STARTER; daily adds STARTER and finance', async () => {
    const pro = await connectSettled({ plan: 'PRO' });
    const starter = await connectSettled({ plan: 'STARTER' });
    const count = async (tenantId: string) =>
      (
        await queryRows<{ type: string }>(
          testDb(),
          sql`SELECT type FROM sync_jobs WHERE tenant_id = ${tenantId} AND trigger = 'schedule' ORDER BY type`,
        )
      ).map((r) => r.type);
    const ctx = createExecutionContext();
    // Only this test's tenants: the shared database holds other files' connected tenants too.
    const tick = (cron: string) =>
      handleScheduled(createScheduledController({ cron, scheduledTime: Date.now() }), appEnv, ctx, {
        tenantIds: [pro.tenant.id, starter.tenant.id],
      });
    await tick('0 * * * *');
    expect(await count(pro.tenant.id)).toEqual(['inventory', 'orders', 'pricing']);
    expect(await count(starter.tenant.id)).toEqual([]);
    // A second tick while those jobs are still queued adds nothing.
    await tick('0 * * * *');
    expect(await count(pro.tenant.id)).toEqual(['inventory', 'orders', 'pricing']);
    await tick('0 2 * * *');
    expect(await count(starter.tenant.id)).toEqual(['finance', 'inventory', 'orders', 'pricing']);
    expect(await count(pro.tenant.id)).toEqual(['finance', 'inventory', 'orders', 'pricing']);
    await testDb().execute(
      sql`UPDATE sync_jobs SET status = 'success' WHERE tenant_id IN (${pro.tenant.id}, ${starter.tenant.id}) AND status IN ('queued','processing')`,
    );
  });

  it('the dead-letter consumer marks the job failed with the reason', async () => {
    const tenant = await createTenant();
    const [job] = await createJobs(testDb(), [
      { tenantId: tenant.id, type: 'orders', trigger: 'manual', priority: 'high' },
    ]);
    const batch = createMessageBatch<SyncMessage>('sellerpulse-sync-dlq', [
      { id: 'm1', timestamp: new Date(), attempts: 6, body: messageFor(job!) },
    ]);
    await consumeSyncDeadLetters(batch.messages, appEnv, createExecutionContext());
    const row = await jobRow(tenant.id, job!.id);
    expect(row.status).toBe('failed');
    expect(row.errorMessage).toMatch(/dead-lettered after 6 deliveries/);
  });
});
