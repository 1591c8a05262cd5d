import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { syncJobs } from '../../src/db/schema';
import type { AppEnv } from '../../src/env';
import worker from '../../src/index';
import type { QueueMessage } from '../../src/messages';
import { SYNC_LIMITS_PER_PLAN } from '../../src/middleware/client-rate-limits';
import { type TestUser, testDb } from './harness';
import { connectSettled } from './sync-helpers';

/**
 * The Worker entry as deployed: production limits (RATE_LIMIT_MULTIPLIER 1 instead of the suite's
 * 100) and a SYNC_QUEUE that records what would be sent instead of sending it, so the jobs a test
 * queues never run and every message can be counted.
 */
function productionWorker(overrides: Partial<AppEnv> = {}) {
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
  const workerEnv: AppEnv = { ...env, RATE_LIMIT_MULTIPLIER: '1', SYNC_QUEUE: queue, ...overrides };
  async function manual(as: TestUser) {
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request('http://api.test/api/sync/manual', {
        method: 'POST',
        headers: { ...as.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ types: ['orders'] }),
      }),
      workerEnv,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return res;
  }
  return { manual, sent };
}

const manualJobs = async (tenantId: string) =>
  testDb()
    .select({ id: syncJobs.id })
    .from(syncJobs)
    .where(and(eq(syncJobs.tenantId, tenantId), eq(syncJobs.trigger, 'manual')));

const tenantsToClose: string[] = [];
afterAll(async () => {
  // The recorded jobs have no message: close them so no later sweep or cron meets them.
  if (tenantsToClose.length === 0) return;
  await testDb()
    .update(syncJobs)
    .set({ status: 'failed', errorMessage: 'test job, never sent' })
    .where(
      and(inArray(syncJobs.tenantId, tenantsToClose), inArray(syncJobs.status, ['queued', 'processing'])),
    );
});

describe('POST /api/sync/manual is limited per tenant (PRD §5.3)', () => {
  it('accepts 10 manual syncs an hour, refuses the 11th with 429 and Retry-After, and queues nothing for it', async () => {
    expect(SYNC_LIMITS_PER_PLAN.PRO).toMatchObject({ limit: 10, windowSeconds: 3600 });
    const { tenant } = await connectSettled({ plan: 'PRO' });
    tenantsToClose.push(tenant.id);
    const { manual, sent } = productionWorker();
    for (let i = 1; i <= 10; i++) {
      const res = await manual(tenant.owner);
      expect(res.status, `call ${i}`).toBe(202);
      expect(res.headers.get('ratelimit-limit')).not.toBeNull();
    }
    expect(await manualJobs(tenant.id)).toHaveLength(10);
    expect(sent).toHaveLength(10);

    const refused = await manual(tenant.owner);
    expect(refused.status).toBe(429);
    // 10 per hour refills one token every 6 minutes.
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(360);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    const body = (await refused.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.requestId).toBeTruthy();
    // Nothing was written or sent for the refused call.
    expect(await manualJobs(tenant.id)).toHaveLength(10);
    expect(sent).toHaveLength(10);

    // The limit is the tenant's: a colleague with sync.run is refused too.
    const analyst = await tenant.addUser('analyst');
    expect((await manual(analyst)).status).toBe(429);
    expect(await manualJobs(tenant.id)).toHaveLength(10);
    expect(sent).toHaveLength(10);
  });

  it('does not limit ENTERPRISE tenants', async () => {
    expect(SYNC_LIMITS_PER_PLAN.ENTERPRISE).toBeNull();
    const { tenant } = await connectSettled({ plan: 'ENTERPRISE' });
    tenantsToClose.push(tenant.id);
    const { manual, sent } = productionWorker();
    for (let i = 1; i <= 12; i++) expect((await manual(tenant.owner)).status, `call ${i}`).toBe(202);
    expect(await manualJobs(tenant.id)).toHaveLength(12);
    expect(sent).toHaveLength(12);
  });

  it('lets manual syncs through when the limiter is unreachable (fail open)', async () => {
    const { tenant } = await connectSettled({ plan: 'STARTER' });
    tenantsToClose.push(tenant.id);
    const unreachable = {
      idFromName(): never {
        throw new Error('limiter unreachable');
      },
    };
    // A test double: the limiter is only reached through idFromName, which fails here.
    const limiter = unreachable as unknown as AppEnv['CLIENT_RATE_LIMITER'];
    const { manual, sent } = productionWorker({ CLIENT_RATE_LIMITER: limiter });
    const res = await manual(tenant.owner);
    expect(res.status).toBe(202);
    expect(res.headers.get('ratelimit-limit')).toBeNull();
    expect(await manualJobs(tenant.id)).toHaveLength(1);
    expect(sent).toHaveLength(1);
  });
});
