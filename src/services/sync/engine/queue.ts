import type { Db } from '../../../db/client';
import type { SyncJob } from '../../../db/schema';
import type { AppEnv } from '../../../env';
import type { SyncMessage } from '../../../messages';
import type { ServiceContext } from '../../context';
import { createJobs, type NewJob } from './jobs';

/** Queues' sendBatch takes at most 100 messages. */
const SEND_BATCH = 100;

export function messageFor(job: SyncJob): SyncMessage {
  return {
    kind: 'sync',
    jobId: job.id,
    tenantId: job.tenantId,
    type: job.type,
    priority: job.priority,
    ...(job.rangeStart && job.rangeEnd
      ? { range: { start: job.rangeStart.toISOString(), end: job.rangeEnd.toISOString() } }
      : {}),
    ...(job.target ? { target: job.target } : {}),
  };
}

/** The one place the sync puts messages on SYNC_QUEUE. */
export async function sendSyncMessages(env: Pick<AppEnv, 'SYNC_QUEUE'>, jobs: SyncJob[]): Promise<void> {
  for (let i = 0; i < jobs.length; i += SEND_BATCH) {
    const part = jobs.slice(i, i + SEND_BATCH);
    await env.SYNC_QUEUE.sendBatch(part.map((j) => ({ body: messageFor(j), contentType: 'json' as const })));
  }
}

/**
 * Records the jobs, then puts one message per job on SYNC_QUEUE. Pass the caller's transaction as
 * `tx` to record the jobs with the caller's other writes: a failed send then rolls them back too.
 */
export async function enqueueSyncs(
  ctx: Pick<ServiceContext, 'db' | 'env'>,
  jobs: NewJob[],
  tx: Db = ctx.db,
): Promise<SyncJob[]> {
  const rows = await createJobs(tx, jobs);
  if (rows.length > 0) await sendSyncMessages(ctx.env, rows);
  return rows;
}
