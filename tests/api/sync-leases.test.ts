import { createExecutionContext, createMessageBatch, createScheduledController } from 'cloudflare:test';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client';
import { syncJobs } from '../../src/db/schema';
import type { AppEnv } from '../../src/env';
import type { QueueMessage, SyncMessage } from '../../src/messages';
import { spClient } from '../../src/services/amazon-account/clients';
import { loadCredential } from '../../src/services/amazon-account/credentials';
import { tuningFrom } from '../../src/services/amazon-account/tuning';
import type { SyncRun } from '../../src/services/sync/engine/context';
import { JobRun, LeaseLostError } from '../../src/services/sync/engine/job-run';
import {
  CLAIM_LEASE_SECONDS,
  createJobs,
  DELIVERY_LEASE_SECONDS,
  MAX_JOB_ATTEMPTS,
} from '../../src/services/sync/engine/jobs';
import { messageFor } from '../../src/services/sync/engine/queue';
import { syncOrders } from '../../src/services/sync/orders/orders-sync';
import { loadTenantContext } from '../../src/services/tenant/context';
import { handleScheduled } from '../../workers/scheduler';
import { consumeSyncDeadLetters, consumeSyncMessages } from '../../workers/sync-consumer';
import { testDb } from './harness';
import { appEnv, connectSettled, control, jobRow, serviceContext, settle, US } from './sync-helpers';

class Killed extends Error {}

/**
 * Runs an orders backfill's real syncer in an attempt that dies right after its first checkpoint
 * (the report id it saves so the next attempt resumes the report): nothing after it runs, no
 * outcome is recorded and the lease is not renewed, as when the isolate is killed.
 */
async function dieAfterFirstCheckpoint(tenantId: string, jobId: string): Promise<JobRun> {
  const ctx = serviceContext();
  const run = await JobRun.claim(ctx, { tenantId, jobId });
  if (!run) throw new Error('job not claimable');
  const credential = await loadCredential({ db: ctx.db, tenant: { id: tenantId } }, 'SPAPI');
  if (!credential) throw new Error('no credential');
  const tuning = tuningFrom(ctx.env);
  const dying: SyncRun = {
    get job() {
      return run.job;
    },
    get target() {
      return run.target;
    },
    get resume() {
      return run.resume;
    },
    progress: (percent, records) => run.progress(percent, records),
    remember: async (state) => {
      await run.remember(state);
      throw new Killed('isolate killed after the checkpoint');
    },
    cursor: () => run.cursor(),
    advanceCursor: (at) => run.advanceCursor(at),
  };
  await expect(
    syncOrders({
      ...(await loadTenantContext(ctx, tenantId)),
      run: dying,
      credential,
      tuning,
      sp: spClient(ctx.env, credential, 'high', tuning),
    }),
  ).rejects.toThrow(Killed);
  return run;
}

const BACKFILL_DAYS = 40;
/** Order reports cover at most 30 days: the backfill needs one report per window. */
const BACKFILL_WINDOWS = Math.ceil(BACKFILL_DAYS / 30);

/** A connected tenant with its connect jobs done, its orders deleted, and one orders backfill job. */
async function backfillJob(plan: 'PRO' | 'STARTER') {
  const c = await connectSettled({ plan });
  const [job] = await createJobs(testDb(), [
    {
      tenantId: c.tenant.id,
      type: 'orders',
      trigger: 'manual',
      priority: 'high',
      range: { start: new Date(Date.now() - BACKFILL_DAYS * 86_400_000), end: new Date() },
    },
  ]);
  await testDb().execute(sql`DELETE FROM orders WHERE tenant_id = ${c.tenant.id}`);
  return { ...c, jobId: job!.id };
}

const createdReports = async (sellerId: string) =>
  (await control<Record<string, number>>(`/sellers/${sellerId}/counters`))['requests.createReport'] ?? 0;

/** Each order's lines as `sku:quantity`, sorted: the rows the tenant holds. */
async function ourLines(tenantId: string): Promise<Map<string, string[]>> {
  const rows = await queryRows<{ amazon_order_id: string; sku: string; quantity: number }>(
    testDb(),
    sql`SELECT o.amazon_order_id, i.sku, i.quantity FROM orders o LEFT JOIN order_items i ON i.tenant_id = o.tenant_id AND i.amazon_order_id = o.amazon_order_id WHERE o.tenant_id = ${tenantId}`,
  );
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const lines = out.get(r.amazon_order_id) ?? [];
    if (r.sku !== null) lines.push(`${r.sku}:${r.quantity}`);
    out.set(r.amazon_order_id, lines.sort());
  }
  return out;
}

interface TruthOrder {
  orderId: string;
  marketplaceId: string;
  createdTime: string;
  items: { sku: string; quantity: number }[];
}

/**
 * The tenant holds exactly the sandbox's orders (its own ground truth, day by day) and each order
 * exactly its lines: nothing missing, nothing extra, nothing twice. Orders of the last 4 days may
 * still change between the report and the ground truth, so only their presence is compared.
 */
async function expectSandboxOrders(tenantId: string, sellerId: string): Promise<void> {
  const truth: TruthOrder[] = [];
  for (let i = 0; i <= 31; i++) {
    const date = new Date(Date.now() - i * 86_400_000).toISOString().slice(0, 10);
    const res = await control<{ orders: TruthOrder[] }>(`/sellers/${sellerId}/orders?date=${date}`);
    truth.push(...res.orders.filter((o) => o.marketplaceId === US));
  }
  const ours = await ourLines(tenantId);
  const truthIds = new Set(truth.map((t) => t.orderId));
  for (const id of ours.keys()) expect(truthIds.has(id), id).toBe(true);
  const settled = truth.filter((o) => Date.parse(o.createdTime) < Date.now() - 4 * 86_400_000);
  expect(settled.length).toBeGreaterThan(10);
  for (const t of settled) {
    expect(ours.get(t.orderId), t.orderId).toEqual(t.items.map((l) => `${l.sku}:${l.quantity}`).sort());
  }
}

/** Runs one consumer delivery of a job's message and says what the consumer told the queue. */
async function deliver(job: Parameters<typeof messageFor>[0], attempts: number) {
  const told: { acked: boolean; retryDelaySeconds?: number } = { acked: false };
  const message: Message<SyncMessage> = {
    id: `m${attempts}`,
    timestamp: new Date(),
    attempts,
    body: messageFor(job),
    ack: () => {
      told.acked = true;
    },
    retry: (options) => {
      told.retryDelaySeconds = options?.delaySeconds ?? 0;
    },
  };
  await consumeSyncMessages([message], appEnv, createExecutionContext());
  return told;
}

/** The Worker's bindings with a SYNC_QUEUE that records every message (and forwards it when asked). */
function recordingEnv(forward: boolean) {
  const sent: QueueMessage[] = [];
  const recorder = {
    async send(body: QueueMessage) {
      sent.push(body);
      if (forward) await appEnv.SYNC_QUEUE.send(body);
    },
    async sendBatch(messages: Iterable<MessageSendRequest<QueueMessage>>) {
      const all = [...messages];
      sent.push(...all.map((m) => m.body));
      if (forward) await appEnv.SYNC_QUEUE.sendBatch(all);
    },
  };
  // A test double: only send and sendBatch are used by the app.
  const queue = recorder as unknown as Queue<QueueMessage>;
  const env: AppEnv = { ...appEnv, SYNC_QUEUE: queue };
  return { env, sent };
}

/** One cron tick for the given tenants only (the shared database holds other files' tenants). */
async function cronTick(env: AppEnv, tenantIds: string[], cron = '0 * * * *') {
  const ctx = createExecutionContext();
  await handleScheduled(createScheduledController({ cron, scheduledTime: Date.now() }), env, ctx, {
    tenantIds,
  });
}

const expireLease = (jobId: string) =>
  testDb().execute(
    sql`UPDATE sync_jobs SET lease_expires_at = now() - interval '1 second' WHERE id = ${jobId}`,
  );

describe('sync job leases: a job whose attempt dies is taken over and finishes once', () => {
  it('a redelivered message waits while the lease is live, then takes the job over from its checkpoint', async () => {
    const { tenant, sellerId, jobId } = await backfillJob('PRO');
    const reportsBefore = await createdReports(sellerId);
    const dead = await dieAfterFirstCheckpoint(tenant.id, jobId);
    const held = await jobRow(tenant.id, jobId);
    expect(held).toMatchObject({ status: 'processing', attempts: 1 });
    expect(held.target).toMatchObject({ reportId: expect.any(String) });
    const leaseLeft = (held.leaseExpiresAt.getTime() - Date.now()) / 1000;
    expect(leaseLeft).toBeGreaterThan(CLAIM_LEASE_SECONDS - 60);
    expect(leaseLeft).toBeLessThanOrEqual(CLAIM_LEASE_SECONDS + 5);

    // Queues redelivers the unacked message at once: the lease is live, so it is neither run nor
    // acked, but retried for when the lease would have run out.
    const early = await deliver(held, 2);
    expect(early.acked).toBe(false);
    expect(early.retryDelaySeconds).toBeGreaterThan(5);
    expect(early.retryDelaySeconds).toBeLessThanOrEqual(CLAIM_LEASE_SECONDS + 5);
    expect(await jobRow(tenant.id, jobId)).toMatchObject({ status: 'processing', attempts: 1 });

    // The dead attempt renewed nothing: its lease runs out (simulated), and the next delivery takes over.
    await expireLease(jobId);
    const late = await deliver(held, 3);
    expect(late).toEqual({ acked: true });
    const done = await jobRow(tenant.id, jobId);
    expect(done).toMatchObject({ status: 'success', attempts: 2, progress: 100, errorCount: 0 });
    expect(done.target ?? {}).not.toHaveProperty('reportId');
    // One report per window: the dead attempt's first-window report was resumed, not requested again.
    expect(await createdReports(sellerId)).toBe(reportsBefore + BACKFILL_WINDOWS);
    await expectSandboxOrders(tenant.id, sellerId);
    expect(done.recordsProcessed).toBe((await ourLines(tenant.id)).size);

    // The dead attempt cannot write to the job any more, and a late duplicate changes nothing.
    await expect(dead.progress(50, 1)).rejects.toThrow(LeaseLostError);
    const before = await ourLines(tenant.id);
    expect(await deliver(held, 4)).toEqual({ acked: true });
    expect(await jobRow(tenant.id, jobId)).toMatchObject({ status: 'success', attempts: 2, progress: 100 });
    expect(await ourLines(tenant.id)).toEqual(before);
  });

  it('the cron re-queues a dead job whose message is gone, and it finishes once from its checkpoint', async () => {
    const { tenant, sellerId, jobId } = await backfillJob('STARTER');
    const reportsBefore = await createdReports(sellerId);
    await dieAfterFirstCheckpoint(tenant.id, jobId);
    const { env, sent } = recordingEnv(true);
    // While the lease is live the cron leaves the job alone.
    await cronTick(env, [tenant.id]);
    expect(sent).toEqual([]);
    expect(await jobRow(tenant.id, jobId)).toMatchObject({ status: 'processing', attempts: 1 });

    await expireLease(jobId);
    await cronTick(env, [tenant.id]);
    expect(sent).toEqual([
      expect.objectContaining({ kind: 'sync', jobId, tenantId: tenant.id, type: 'orders' }),
    ]);
    const requeued = await jobRow(tenant.id, jobId);
    expect(requeued.status === 'queued' || requeued.status === 'processing').toBe(true);
    expect(requeued.target).toMatchObject({ reportId: expect.any(String) });
    // The queue consumer (or this test, whichever claims first) runs it to the end.
    const { job } = await settle(tenant.id, jobId);
    expect(job).toMatchObject({ status: 'success', attempts: 2 });
    expect(await createdReports(sellerId)).toBe(reportsBefore + BACKFILL_WINDOWS);
    await expectSandboxOrders(tenant.id, sellerId);
    // STARTER has no hourly syncs: the tick queued nothing else.
    const others = await testDb()
      .select({ id: syncJobs.id })
      .from(syncJobs)
      .where(and(eq(syncJobs.tenantId, tenant.id), eq(syncJobs.trigger, 'schedule')));
    expect(others).toEqual([]);
  });

  it('the cron sends a queued job whose message was lost once its delivery lease runs out', async () => {
    const { tenant } = await connectSettled({ plan: 'STARTER' });
    const [lost, fresh] = await createJobs(testDb(), [
      { tenantId: tenant.id, type: 'inventory', trigger: 'manual', priority: 'high' },
      { tenantId: tenant.id, type: 'pricing', trigger: 'manual', priority: 'high' },
    ]);
    // Created with a delivery lease: the message is expected within it.
    const lease = ((await jobRow(tenant.id, fresh!.id)).leaseExpiresAt.getTime() - Date.now()) / 1000;
    expect(lease).toBeGreaterThan(DELIVERY_LEASE_SECONDS - 60);
    expect(lease).toBeLessThanOrEqual(DELIVERY_LEASE_SECONDS + 5);
    await testDb().execute(
      sql`UPDATE sync_jobs SET queued_at = now() - interval '16 minutes', lease_expires_at = now() - interval '1 minute' WHERE id = ${lost!.id}`,
    );
    const { env, sent } = recordingEnv(false);
    await cronTick(env, [tenant.id]);
    // Only the lost one is sent again; the fresh one's message may still come.
    expect(sent.map((m) => (m.kind === 'sync' ? m.jobId : m.kind))).toEqual([lost!.id]);
    const revived = await jobRow(tenant.id, lost!.id);
    expect(revived).toMatchObject({ status: 'queued', attempts: 0 });
    expect(revived.leaseExpiresAt.getTime()).toBeGreaterThan(
      Date.now() + (DELIVERY_LEASE_SECONDS - 60) * 1000,
    );
    expect((await settle(tenant.id, lost!.id)).job).toMatchObject({ status: 'success', attempts: 1 });
    expect((await settle(tenant.id, fresh!.id)).job.status).toBe('success');
  });

  it('a dead job that used up its attempts fails with an alert, and the schedule queues its type again', async () => {
    const { tenant } = await connectSettled({ plan: 'PRO' });
    const [dead] = await createJobs(testDb(), [
      { tenantId: tenant.id, type: 'pricing', trigger: 'schedule', priority: 'normal' },
    ]);
    await testDb().execute(
      sql`UPDATE sync_jobs SET status = 'processing', attempts = ${MAX_JOB_ATTEMPTS}, started_at = now() - interval '1 hour', lease_expires_at = now() - interval '1 minute' WHERE id = ${dead!.id}`,
    );
    const { env, sent } = recordingEnv(false);
    await cronTick(env, [tenant.id]);
    const failed = await jobRow(tenant.id, dead!.id);
    expect(failed.status).toBe('failed');
    expect(failed.errorMessage).toBe(`gave up: ${MAX_JOB_ATTEMPTS} attempts started without finishing`);
    const alerts = await queryRows<{ message: string }>(
      testDb(),
      sql`SELECT message FROM alerts WHERE tenant_id = ${tenant.id} AND type = 'SYNC_FAILED' AND status = 'active'`,
    );
    expect(alerts.map((a) => a.message)).toEqual([failed.errorMessage]);
    // PRO's hourly types, pricing included: the dead job no longer holds its type back.
    const scheduled = sent.flatMap((m) => (m.kind === 'sync' ? [m.type] : [])).sort();
    expect(scheduled).toEqual(['inventory', 'orders', 'pricing']);
    for (const m of sent) if (m.kind === 'sync') await settle(tenant.id, m.jobId);
  });

  it('the dead-letter consumer leaves a job a live attempt holds', async () => {
    const { tenant } = await connectSettled({ plan: 'STARTER' });
    const [job] = await createJobs(testDb(), [
      { tenantId: tenant.id, type: 'inventory', trigger: 'manual', priority: 'high' },
    ]);
    const run = await JobRun.claim(serviceContext(), { tenantId: tenant.id, jobId: job!.id });
    expect(run).not.toBeNull();
    const batch = createMessageBatch<SyncMessage>('sellerpulse-sync-dlq', [
      { id: 'd1', timestamp: new Date(), attempts: 6, body: messageFor(job!) },
    ]);
    await consumeSyncDeadLetters(batch.messages, appEnv, createExecutionContext());
    expect(await jobRow(tenant.id, job!.id)).toMatchObject({ status: 'processing', errorMessage: null });
    // Once the holder is gone (lease run out), the dead letter fails it.
    await expireLease(job!.id);
    await consumeSyncDeadLetters(batch.messages, appEnv, createExecutionContext());
    expect((await jobRow(tenant.id, job!.id)).status).toBe('failed');
  });
});
