import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client';
import { createJobs } from '../../src/services/sync/engine/jobs';
import { messageFor } from '../../src/services/sync/engine/queue';
import { runSyncJob } from '../../src/services/sync/run-job';
import { api, testDb } from './harness';
import {
  connectSettled,
  connectTenant,
  consentFlow,
  control,
  jobRow,
  REDIRECT,
  serviceContext,
  settle,
  US,
} from './sync-helpers';

async function ordersCount(tenantId: string) {
  const rows = await queryRows<{ o: number; i: number }>(
    testDb(),
    sql`SELECT (SELECT count(*)::int FROM orders WHERE tenant_id = ${tenantId}) AS o, (SELECT count(*)::int FROM order_items WHERE tenant_id = ${tenantId}) AS i`,
  );
  return { orders: Number(rows[0]!.o), items: Number(rows[0]!.i) };
}

/** A fresh connection whose own jobs are done; then faults are set and one new job is created. */
async function jobWith(
  faults: Record<string, unknown>,
  job: { type: 'orders' | 'inventory'; backfill?: boolean; sku?: boolean },
) {
  const c = await connectSettled();
  let target: { sku: string; marketplaceId: string } | undefined;
  if (job.sku) {
    const [p] = await queryRows<{ sku: string }>(
      testDb(),
      sql`SELECT sku FROM products WHERE tenant_id = ${c.tenant.id} AND fulfillment_channel = 'FBA' ORDER BY sku LIMIT 1`,
    );
    target = { sku: p!.sku, marketplaceId: US };
  }
  const range = job.backfill ? { start: new Date(Date.now() - 40 * 86_400_000), end: new Date() } : undefined;
  const [row] = await createJobs(testDb(), [
    {
      tenantId: c.tenant.id,
      type: job.type,
      trigger: 'manual',
      priority: 'high',
      ...(range ? { range } : {}),
      ...(target ? { target } : {}),
    },
  ]);
  await testDb().execute(sql`DELETE FROM orders WHERE tenant_id = ${c.tenant.id}`);
  await control(`/sellers/${c.sellerId}/faults`, faults);
  return { ...c, jobId: row!.id, target };
}

/** A clean backfill of the same seller by another tenant: the reference row counts. */
async function reference(sellerId: string) {
  await control(`/sellers/${sellerId}/faults`, {}, 'DELETE');
  const c = await connectTenant({ sellerId });
  await settle(c.tenant.id, c.jobs.find((j) => j.type === 'orders')!.jobId);
  return ordersCount(c.tenant.id);
}

async function stockOf(tenantId: string, sku: string) {
  const [row] = await queryRows<{ fba_stock: number }>(
    testDb(),
    sql`SELECT fba_stock FROM products WHERE tenant_id = ${tenantId} AND sku = ${sku} AND marketplace_id = ${US}`,
  );
  return row?.fba_stock;
}

async function alertsOf(tenantId: string, type: string) {
  return queryRows<{ message: string }>(
    testDb(),
    sql`SELECT message FROM alerts WHERE tenant_id = ${tenantId} AND type = ${type} AND status = 'active'`,
  );
}

describe('Amazon failures end as retried, partial or failed jobs with clear reasons', () => {
  it('a 429 storm is absorbed: each 429 drains the bucket, the job waits for the refill and succeeds', async () => {
    const { tenant, sellerId, jobId, target } = await jobWith(
      { throttleNext: 5 },
      { type: 'inventory', sku: true },
    );
    const expected = await stockOf(tenant.id, target!.sku);
    await testDb().execute(sql`UPDATE products SET fba_stock = -1 WHERE tenant_id = ${tenant.id}`);
    const { job } = await settle(tenant.id, jobId);
    expect(job.status).toBe('success');
    expect(await stockOf(tenant.id, target!.sku)).toBe(expected);
    const counters = await control<Record<string, number>>(`/sellers/${sellerId}/counters`);
    expect(counters['responses.429.getInventorySummaries']).toBe(5);
    const status = (await (await api('/api/sync/status', { as: tenant.owner })).json()) as {
      rateLimits: { spapi: { operations: { operation: string; throttled: number }[] } };
    };
    expect(
      status.rateLimits.spapi.operations.find((o) => o.operation === 'getInventorySummaries')!.throttled,
    ).toBe(5);
  });

  it('a 429 on a slow operation (createReport, 1/min) ends the attempt as retried after the refill time', async () => {
    const { tenant, jobId } = await jobWith({ throttleNext: 1 }, { type: 'orders', backfill: true });
    const outcome = await runSyncJob(serviceContext(), messageFor(await jobRow(tenant.id, jobId)), {
      attempt: 1,
    });
    expect(outcome).toMatchObject({
      action: 'retry',
      reason: expect.stringMatching(/Quota for createReport is used up/),
    });
    expect((outcome as { delaySeconds: number }).delaySeconds).toBeGreaterThanOrEqual(50);
    const job = await jobRow(tenant.id, jobId);
    expect(job.status).toBe('queued');
    expect(job.errorCount).toBe(1);
  });

  it('a short 5xx burst is retried with backoff inside the job', async () => {
    const { tenant, jobId, target } = await jobWith(
      { serverErrorNext: 3, serverErrorStatus: 503 },
      { type: 'inventory', sku: true },
    );
    const expected = await stockOf(tenant.id, target!.sku);
    const { job } = await settle(tenant.id, jobId);
    expect(job.status).toBe('success');
    expect(await stockOf(tenant.id, target!.sku)).toBe(expected);
  });

  it('persistent 5xx: the message is retried with a delay, then the job fails with the reason and an alert', async () => {
    const { tenant, jobId } = await jobWith(
      { serverErrorNext: 1000, serverErrorStatus: 500 },
      { type: 'inventory', sku: true },
    );
    const { job, outcomes } = await settle(tenant.id, jobId, { maxAttempts: 2 });
    expect(outcomes[0]).toMatchObject({ action: 'retry' });
    expect((outcomes[0] as { delaySeconds: number }).delaySeconds).toBeGreaterThan(0);
    expect(job.status).toBe('failed');
    expect(job.errorMessage).toMatch(/answered 500 6 times.*gave up after 2 attempts/);
    expect(job.attempts).toBe(2);
    expect((await alertsOf(tenant.id, 'SYNC_FAILED')).length).toBe(1);
  });

  it('a FATAL report fails fast with the reason, no retry', async () => {
    const { tenant, jobId } = await jobWith({ reportOutcome: 'FATAL' }, { type: 'orders', backfill: true });
    const { job, outcomes } = await settle(tenant.id, jobId);
    expect(outcomes).toHaveLength(1);
    expect(job.status).toBe('failed');
    expect(job.errorMessage).toMatch(/ended FATAL/);
    expect(await ordersCount(tenant.id)).toEqual({ orders: 0, items: 0 });
  });

  it('a report that never finishes hits the deadline, is retried on the same report, then fails', async () => {
    const { tenant, sellerId, jobId } = await jobWith(
      { reportOutcome: 'NEVER_FINISH' },
      { type: 'orders', backfill: true },
    );
    const created = (await control<Record<string, number>>(`/sellers/${sellerId}/counters`))[
      'requests.createReport'
    ];
    const { job, outcomes } = await settle(tenant.id, jobId, { maxAttempts: 2 });
    expect(outcomes.map((o) => o.action)).toEqual(['retry', 'ack']);
    expect(job.status).toBe('failed');
    expect(job.errorMessage).toMatch(/still IN_QUEUE .*gave up/);
    // The retry polled the report it had already requested instead of creating another.
    const counters = await control<Record<string, number>>(`/sellers/${sellerId}/counters`);
    expect(counters['requests.createReport']).toBe(created! + 1);
  });

  it('a truncated gzip document is retried; once Amazon serves it whole, rows are exact and not duplicated', async () => {
    const { tenant, sellerId, jobId } = await jobWith(
      { document: 'TRUNCATED_GZIP' },
      { type: 'orders', backfill: true },
    );
    const outcome = await runSyncJob(serviceContext(), messageFor(await jobRow(tenant.id, jobId)), {
      attempt: 1,
    });
    expect(outcome).toMatchObject({ action: 'retry' });
    expect((outcome as { reason: string }).reason).toMatch(/corrupt or truncated/);
    expect((await jobRow(tenant.id, jobId)).errorMessage).toMatch(/corrupt or truncated/);
    await control(`/sellers/${sellerId}/faults`, { document: 'OK' });
    const { job } = await settle(tenant.id, jobId);
    expect(job.status).toBe('success');
    expect(job.errorCount).toBe(1);
    expect(await ordersCount(tenant.id)).toEqual(await reference(sellerId));
  });

  it('a document marked GZIP that is not compressed is read by its magic bytes', async () => {
    const { tenant, sellerId, jobId } = await jobWith(
      { document: 'NOT_COMPRESSED' },
      { type: 'orders', backfill: true },
    );
    expect((await settle(tenant.id, jobId)).job.status).toBe('success');
    expect(await ordersCount(tenant.id)).toEqual(await reference(sellerId));
  });

  it('a Cp1252 document decodes to the same text as the UTF-8 one', async () => {
    const { tenant, sellerId, jobId } = await jobWith({ cp1252: true }, { type: 'orders', backfill: true });
    expect((await settle(tenant.id, jobId)).job.status).toBe('success');
    const ref = await connectTenant({ sellerId });
    await control(`/sellers/${sellerId}/faults`, { cp1252: false });
    await settle(ref.tenant.id, ref.jobs.find((j) => j.type === 'orders')!.jobId);
    const titles = async (t: string) =>
      (
        await queryRows<{ title: string }>(
          testDb(),
          sql`SELECT DISTINCT title FROM order_items WHERE tenant_id = ${t} ORDER BY title`,
        )
      ).map((r) => r.title);
    const ours = await titles(tenant.id);
    expect(ours).toEqual(await titles(ref.tenant.id));
    expect(ours.join('')).not.toContain('\uFFFD');
  });

  it('a revoked grant marks the credential inactive, alerts, and stops retrying', async () => {
    const { tenant, sellerId } = await connectSettled();
    const jobs = await createJobs(testDb(), [
      { tenantId: tenant.id, type: 'orders', trigger: 'manual', priority: 'high' },
      { tenantId: tenant.id, type: 'inventory', trigger: 'manual', priority: 'high' },
    ]);
    await control(`/sellers/${sellerId}/faults`, { refreshToken: 'REVOKED' });
    // Access tokens already handed out stop working too, so the next call must refresh.
    await control(`/sellers/${sellerId}/tokens/expire`, {});
    const { job, outcomes } = await settle(tenant.id, jobs[0]!.id);
    expect(outcomes).toEqual([expect.objectContaining({ action: 'ack', status: 'failed' })]);
    expect(job.errorMessage).toMatch(/rejected the grant/);
    const cred = await queryRows<{ is_active: boolean; last_error: string }>(
      testDb(),
      sql`SELECT is_active, last_error FROM amazon_credentials WHERE tenant_id = ${tenant.id}`,
    );
    expect(cred[0]!.is_active).toBe(false);
    expect(cred[0]!.last_error).not.toContain('Atzr|');
    expect((await alertsOf(tenant.id, 'CREDENTIALS_INVALID')).length).toBe(1);
    // The other job fails at once without calling Amazon again.
    const before = await control<Record<string, number>>(`/sellers/${sellerId}/counters`);
    const inv = await settle(tenant.id, jobs[1]!.id);
    expect(inv.job.status).toBe('failed');
    expect(inv.job.errorMessage).toMatch(/inactive/);
    const after = await control<Record<string, number>>(`/sellers/${sellerId}/counters`);
    expect(after['requests.total']).toBe(before['requests.total']);
    expect((await alertsOf(tenant.id, 'CREDENTIALS_INVALID')).length).toBe(1);
    // A manual sync is refused until the seller reconnects; reconnecting clears the alert.
    expect(
      (await api('/api/sync/manual', { method: 'POST', as: tenant.owner, json: { types: ['orders'] } }))
        .status,
    ).toBe(409);
    await control(`/sellers/${sellerId}/faults`, { refreshToken: 'OK' });
    const re = await api('/api/auth/connect-amazon', {
      method: 'POST',
      as: tenant.owner,
      json: {
        ...(await consentFlow(tenant.owner, sellerId)),
        redirectUri: REDIRECT,
        marketplaceIds: [US],
        region: 'na',
      },
    });
    expect(re.status).toBe(200);
    expect((await alertsOf(tenant.id, 'CREDENTIALS_INVALID')).length).toBe(0);
    expect(
      (await api('/api/sync/manual', { method: 'POST', as: tenant.owner, json: { types: ['orders'] } }))
        .status,
    ).toBe(202);
  });
});
