import type { Database } from '../../db/client';
import type { SyncJob } from '../../db/schema';
import type { AppEnv } from '../../env';
import type { SyncMessage } from '../../messages';
import { createJobs, type NewJob } from './jobs';

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
    ...(job.target ? { target: job.target as SyncMessage['target'] } : {}),
  };
}

/** Records the jobs, then puts one message per job on SYNC_QUEUE. */
export async function enqueueSyncs(env: AppEnv, db: Database, jobs: NewJob[]): Promise<SyncJob[]> {
  const rows = await createJobs(db, jobs);
  if (rows.length === 0) return rows;
  await env.SYNC_QUEUE.sendBatch(rows.map((j) => ({ body: messageFor(j), contentType: 'json' as const })));
  return rows;
}
