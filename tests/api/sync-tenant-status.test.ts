import { createExecutionContext, createScheduledController } from 'cloudflare:test';
import { and, eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { queryRows } from '../../src/db/client';
import { syncJobs, tenants } from '../../src/db/schema';
import type { AppEnv } from '../../src/env';
import type { QueueMessage, SyncMessage } from '../../src/messages';
import { createJobs } from '../../src/services/sync/engine/jobs';
import { messageFor } from '../../src/services/sync/engine/queue';
import { handleScheduled } from '../../workers/scheduler';
import { consumeSyncMessages } from '../../workers/sync-consumer';
import { testDb } from './harness';
import { appEnv, connectSettled, control, jobRow } from './sync-helpers';

const suspend = (tenantId: string) =>
  testDb().update(tenants).set({ status: 'suspended' }).where(eq(tenants.id, tenantId));

const amazonCalls = async (sellerId: string) =>
  (await control<Record<string, number>>(`/sellers/${sellerId}/counters`))['requests.total'] ?? 0;

/** Every product and stock snapshot row of the tenant, as one fingerprint. */
async function tenantData(tenantId: string) {
  const [row] = await queryRows<{ products: string | null; history: string | null }>(
    testDb(),
    sql`SELECT
          (SELECT md5(string_agg(p::text, ',' ORDER BY p.id)) FROM products p WHERE p.tenant_id = ${tenantId}) AS products,
          (SELECT md5(string_agg(h::text, ',' ORDER BY h.id)) FROM inventory_history h WHERE h.tenant_id = ${tenantId}) AS history`,
  );
  return row;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('suspended tenants are not synced', () => {
  it('the consumer does not run a suspended tenant’s job: it fails with the reason, without calling Amazon or writing data', async () => {
    const { tenant, sellerId } = await connectSettled({ plan: 'PRO' });
    const [job] = await createJobs(testDb(), [
      { tenantId: tenant.id, type: 'inventory', trigger: 'manual', priority: 'high' },
    ]);
    const calls = await amazonCalls(sellerId);
    const before = await tenantData(tenant.id);
    await suspend(tenant.id);
    let acked = false;
    const message: Message<SyncMessage> = {
      id: 'm1',
      timestamp: new Date(),
      attempts: 1,
      body: messageFor(job!),
      ack: () => {
        acked = true;
      },
      retry: () => {
        throw new Error('a suspended tenant’s job must not be retried');
      },
    };
    await consumeSyncMessages([message], appEnv, createExecutionContext());
    expect(acked).toBe(true);
    const row = await jobRow(tenant.id, job!.id);
    expect(row).toMatchObject({ status: 'failed', errorMessage: 'Tenant is suspended: sync skipped' });
    expect(await amazonCalls(sellerId)).toBe(calls);
    expect(await tenantData(tenant.id)).toEqual(before);
  });

  it('the cron schedules nothing for a suspended tenant and logs how many it skipped', async () => {
    const active = await connectSettled({ plan: 'PRO' });
    const suspended = await connectSettled({ plan: 'PRO' });
    await suspend(suspended.tenant.id);
    const sent: QueueMessage[] = [];
    const recorder = {
      async send(body: QueueMessage) {
        sent.push(body);
      },
      async sendBatch(messages: Iterable<MessageSendRequest<QueueMessage>>) {
        for (const m of messages) sent.push(m.body);
      },
    };
    // A test double: only send and sendBatch are used by the app.
    const queue = recorder as unknown as Queue<QueueMessage>;
    const env: AppEnv = { ...appEnv, SYNC_QUEUE: queue, LOG_LEVEL: 'info' };
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => {
      lines.push(line);
    });
    await handleScheduled(
      createScheduledController({ cron: '0 * * * *', scheduledTime: Date.now() }),
      env,
      createExecutionContext(),
      { tenantIds: [active.tenant.id, suspended.tenant.id] },
    );
    const tenantsSent = new Set(sent.flatMap((m) => (m.kind === 'sync' ? [m.tenantId] : [])));
    expect([...tenantsSent]).toEqual([active.tenant.id]);
    const scheduledFor = async (tenantId: string) =>
      testDb()
        .select({ type: syncJobs.type })
        .from(syncJobs)
        .where(and(eq(syncJobs.tenantId, tenantId), eq(syncJobs.trigger, 'schedule')));
    expect(await scheduledFor(suspended.tenant.id)).toEqual([]);
    expect((await scheduledFor(active.tenant.id)).map((j) => j.type).sort()).toEqual([
      'inventory',
      'orders',
      'pricing',
    ]);
    const tick = lines.map((l) => JSON.parse(l)).find((l) => l.message === 'cron tick');
    expect(tick).toMatchObject({ queued: 3, inactiveTenants: 1, requeued: 0, failed: 0 });
    // The recorded jobs were never sent: close them so nothing else meets them.
    await testDb()
      .update(syncJobs)
      .set({ status: 'failed', errorMessage: 'test job, never sent' })
      .where(and(eq(syncJobs.tenantId, active.tenant.id), eq(syncJobs.trigger, 'schedule')));
  });
});
