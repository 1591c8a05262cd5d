import { and, gte, inArray, lt, sql } from 'drizzle-orm';
import { syncJobs } from '../../../db/schema';
import { raiseAlert } from '../../alerts/raise';
import type { ServiceContext } from '../../context';
import { abandoned, DELIVERY_LEASE_SECONDS, elapsedMs, leaseFromNow, MAX_JOB_ATTEMPTS } from './jobs';
import { sendSyncMessages } from './queue';

/** Jobs re-sent per cron tick at most (the rest wait for the next tick). */
const RECOVER_BATCH = 500;

export interface RecoverInput {
  /** Only these tenants' jobs (a test's own); every tenant's when absent. */
  tenantIds?: string[];
}

export interface Recovered {
  /** Jobs queued again with a fresh message (they resume from their saved state). */
  requeued: number;
  /** Jobs failed because they had used up their attempts. */
  failed: number;
}

const ABANDONED_REASON = `gave up: ${MAX_JOB_ATTEMPTS} attempts started without finishing`;

/**
 * Open jobs whose lease ran out and that nothing will deliver again: a processing job whose attempt
 * died after its message was acked or lost, or a queued job whose message never came. Each is
 * queued again with a fresh message and takes over from the state its last attempt saved; a job
 * that already had its attempts fails with a SYNC_FAILED alert instead. Runs on every cron tick,
 * before the schedule, so the schedule never skips a type because of a dead job.
 */
export async function recoverAbandonedJobs(
  ctx: Pick<ServiceContext, 'db' | 'env'>,
  input: RecoverInput = {},
): Promise<Recovered> {
  if (input.tenantIds?.length === 0) return { requeued: 0, failed: 0 };
  const scope = and(abandoned, ...(input.tenantIds ? [inArray(syncJobs.tenantId, input.tenantIds)] : []));
  const exhausted = await ctx.db
    .update(syncJobs)
    .set({
      status: 'failed',
      errorCount: sql`${syncJobs.errorCount} + 1`,
      errorMessage: ABANDONED_REASON,
      finishedAt: sql`now()`,
      durationMs: elapsedMs,
    })
    .where(and(scope, gte(syncJobs.attempts, MAX_JOB_ATTEMPTS)))
    .returning({ id: syncJobs.id, tenantId: syncJobs.tenantId, type: syncJobs.type });
  for (const job of exhausted) {
    await raiseAlert(
      { db: ctx.db, tenant: { id: job.tenantId } },
      {
        type: 'SYNC_FAILED',
        severity: 'medium',
        title: `${job.type} sync failed`,
        message: ABANDONED_REASON,
        data: { jobId: job.id, syncType: job.type },
        dedupeKey: `SYNC_FAILED:${job.type}`,
      },
    );
  }
  const batch = ctx.db
    .select({ id: syncJobs.id })
    .from(syncJobs)
    .where(and(scope, lt(syncJobs.attempts, MAX_JOB_ATTEMPTS)))
    .limit(RECOVER_BATCH);
  // The outer condition is checked again: a job claimed since the select keeps its new lease.
  const revived = await ctx.db
    .update(syncJobs)
    .set({ status: 'queued', leaseExpiresAt: leaseFromNow(DELIVERY_LEASE_SECONDS) })
    .where(and(inArray(syncJobs.id, batch), abandoned))
    .returning();
  // A failed send leaves them queued with a delivery lease: the next tick sends them again.
  await sendSyncMessages(ctx.env, revived);
  return { requeued: revived.length, failed: exhausted.length };
}
