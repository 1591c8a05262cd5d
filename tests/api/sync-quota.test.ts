import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { lwaTokenCache } from '../../durable-objects/lwa-token-cache';
import { sellerQuota } from '../../durable-objects/seller-quota';
import { queryRows } from '../../src/db/client';
import type { SyncMessage } from '../../src/messages';
import { createJobs } from '../../src/services/sync/engine/jobs';
import { messageFor } from '../../src/services/sync/engine/queue';
import { consumeSyncMessages } from '../../workers/sync-consumer';
import { testDb } from './harness';
import { appEnv, connectSettled, connectTenant, control, settle, US } from './sync-helpers';

/** The SP-API quota object of a selling partner (a fresh id gives a fresh object). */
const quotaOf = (sellingPartnerId: string) =>
  sellerQuota(env, { type: 'SPAPI', sellingPartnerId, tenantId: crypto.randomUUID() });

describe('one exact rate limiter per seller', () => {
  it('many concurrent consumers for one seller never exceed the quota (the sandbox answers no 429)', async () => {
    const { tenant, sellerId } = await connectSettled();
    const skus = await queryRows<{ sku: string }>(
      testDb(),
      sql`SELECT sku FROM products WHERE tenant_id = ${tenant.id} AND fulfillment_channel = 'FBA' AND marketplace_id = ${US}`,
    );
    expect(skus.length).toBeGreaterThan(0);
    // getInventorySummaries allows 2 calls/s with a burst of 2: twelve jobs at once must queue up.
    const jobs = await createJobs(
      testDb(),
      Array.from({ length: 12 }, (_, i) => ({
        tenantId: tenant.id,
        type: 'inventory' as const,
        trigger: 'notification' as const,
        priority: 'high' as const,
        target: { sku: skus[i % skus.length]!.sku, marketplaceId: US },
      })),
    );
    const before = await control<Record<string, number>>(`/sellers/${sellerId}/counters`);
    // Four consumers, three messages each, all at the same time.
    const batches = [0, 1, 2, 3].map((b) =>
      createMessageBatch<SyncMessage>(
        'sellerpulse-sync',
        jobs
          .slice(b * 3, b * 3 + 3)
          .map((j, _i) => ({ id: `${j.id}`, timestamp: new Date(), attempts: 1, body: messageFor(j) })),
      ),
    );
    const ctxs = batches.map(() => createExecutionContext());
    await Promise.all(
      batches.map((batch, i) => consumeSyncMessages(batch.messages, appEnv, ctxs[i]!, { maxAttempts: 1 })),
    );
    for (const [i, batch] of batches.entries()) {
      const result = await getQueueResult(batch, ctxs[i]!);
      expect(result.explicitAcks.length + result.retryMessages.length).toBe(3);
    }
    // Jobs the quota pushed out of this round are retried later; run them to the end.
    for (const j of jobs) expect((await settle(tenant.id, j.id)).job.status).toBe('success');
    const after = await control<Record<string, number>>(`/sellers/${sellerId}/counters`);
    expect((after['responses.429'] ?? 0) - (before['responses.429'] ?? 0)).toBe(0);
    expect(
      (after['requests.getInventorySummaries'] ?? 0) - (before['requests.getInventorySummaries'] ?? 0),
    ).toBe(12);
  });

  it('two tenants connected to the same seller share one quota', async () => {
    const a = await connectSettled();
    const b = await connectTenant({ sellerId: a.sellerId });
    await settle(b.tenant.id, b.jobs.find((j) => j.type === 'inventory')!.jobId);
    const stateA = await quotaOf(a.sellerId).operations();
    const inv = stateA.find((o) => o.operation === 'getInventorySummaries')!;
    // Both connections' inventory syncs were counted by the same object.
    expect(inv.calls).toBeGreaterThanOrEqual(2);
  });

  it('manual and notification work goes ahead of a waiting backfill', async () => {
    const rl = quotaOf(`TEST-PRIORITY-${crypto.randomUUID()}`);
    // getItemOffers: burst 1, 0.5/s.
    expect((await rl.acquireOperation({ operation: 'getItemOffers', priority: 'low' })).granted).toBe(true);
    const highWait = await rl.acquireOperation({ operation: 'getItemOffers', priority: 'high' });
    expect(highWait.granted).toBe(false);
    expect(highWait.waitMs).toBeGreaterThan(1500);
    await new Promise((r) => setTimeout(r, highWait.waitMs + 50));
    // The token has refilled, but the backfill must let the waiting manual call have it.
    const low = await rl.acquireOperation({ operation: 'getItemOffers', priority: 'low' });
    expect(low.granted).toBe(false);
    expect((await rl.acquireOperation({ operation: 'getItemOffers', priority: 'high' })).granted).toBe(true);
  });

  it('adapts to x-amzn-RateLimit-Limit and drains on a 429', async () => {
    const rl = quotaOf(`TEST-ADAPT-${crypto.randomUUID()}`);
    await rl.observe({ operation: 'getOrder', status: 200, rateLimit: '2.5' });
    let op = (await rl.operations()).find((o) => o.operation === 'getOrder')!;
    expect(op.rate).toBe(2.5);
    expect(op.learnedRate).toBe(2.5);
    expect(op.tokens).toBe(30);
    await rl.observe({ operation: 'getOrder', status: 429 });
    op = (await rl.operations()).find((o) => o.operation === 'getOrder')!;
    expect(op.tokens).toBeLessThan(1);
    expect(op.throttled).toBe(1);
    const next = await rl.acquireOperation({ operation: 'getOrder', priority: 'high' });
    expect(next.granted).toBe(false);
    expect(next.waitMs).toBeLessThanOrEqual(Math.ceil(1000 / 2.5) + 100 + 5);
    // The documented default again: the learned rate is forgotten.
    await rl.observe({ operation: 'getOrder', status: 200, rateLimit: '0.5' });
    expect((await rl.operations()).find((o) => o.operation === 'getOrder')!.learnedRate).toBeNull();
  });

  it('refreshes the LWA access token once for many concurrent callers', async () => {
    const { tenant } = await connectSettled();
    const cred = await queryRows<{
      id: string;
      encrypted_refresh_token: string;
      token_iv: string;
      key_version: number;
    }>(
      testDb(),
      sql`SELECT id, encrypted_refresh_token, token_iv, key_version FROM amazon_credentials WHERE tenant_id = ${tenant.id}`,
    );
    const c = cred[0]!;
    // The same object the sync used for this credential: its token is cached already.
    const rl = lwaTokenCache(env, { id: c.id });
    const before = await rl.tokenRefreshes();
    const req = {
      tenantId: tenant.id,
      secret: { ciphertext: c.encrypted_refresh_token, iv: c.token_iv, keyVersion: c.key_version },
      lwaBaseUrl: env.LWA_BASE_URL,
      clientId: 'amzn1.application-oa2-client.sandbox',
      clientSecret: 'sandbox-secret',
    };
    const results = await Promise.all(Array.from({ length: 8 }, () => rl.accessToken(req)));
    expect(new Set(results.map((r) => (r.ok ? r.accessToken : 'x'))).size).toBe(1);
    expect(await rl.tokenRefreshes()).toBe(before);
    const forced = await Promise.all(
      Array.from({ length: 5 }, () => rl.accessToken({ ...req, forceRefresh: true })),
    );
    expect(forced.every((r) => r.ok)).toBe(true);
    expect(await rl.tokenRefreshes()).toBeLessThanOrEqual(before + 5);
  });
});
