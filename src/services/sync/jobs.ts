import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { type SyncJob, type SyncTarget, syncCursors, syncJobs } from '../../db/schema';
import type { SYNC_PRIORITIES, SYNC_TRIGGERS, SYNC_TYPES } from '../../db/schema/sync';

export type SyncType = (typeof SYNC_TYPES)[number];
export type SyncTrigger = (typeof SYNC_TRIGGERS)[number];
export type SyncPriority = (typeof SYNC_PRIORITIES)[number];

export interface NewJob {
  tenantId: string;
  type: SyncType;
  trigger: SyncTrigger;
  priority: SyncPriority;
  range?: { start: Date; end: Date };
  target?: SyncTarget;
}

export async function createJobs(db: Database, jobs: NewJob[]): Promise<SyncJob[]> {
  if (jobs.length === 0) return [];
  return db
    .insert(syncJobs)
    .values(
      jobs.map((j) => ({
        tenantId: j.tenantId,
        type: j.type,
        trigger: j.trigger,
        priority: j.priority,
        rangeStart: j.range?.start ?? null,
        rangeEnd: j.range?.end ?? null,
        target: j.target ?? null,
      })),
    )
    .returning();
}

export async function loadJob(db: Database, tenantId: string, jobId: string): Promise<SyncJob | undefined> {
  const [row] = await db
    .select()
    .from(syncJobs)
    .where(and(eq(syncJobs.id, jobId), eq(syncJobs.tenantId, tenantId)))
    .limit(1);
  return row;
}

export const FINAL_STATUSES = ['success', 'partial', 'failed'] as const;

/** A processing claim older than this is treated as abandoned (the consumer died mid-run). */
const LEASE = sql`interval '15 minutes'`;

/**
 * Claims a job for this attempt; null when it finished already (a re-delivered message) or another
 * consumer is working on it right now.
 */
export async function startJob(db: Database, tenantId: string, jobId: string): Promise<SyncJob | null> {
  const [row] = await db
    .update(syncJobs)
    .set({
      status: 'processing',
      startedAt: sql`coalesce(${syncJobs.startedAt}, now())`,
      attempts: sql`${syncJobs.attempts} + 1`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(syncJobs.id, jobId),
        eq(syncJobs.tenantId, tenantId),
        sql`(${syncJobs.status} = 'queued' OR (${syncJobs.status} = 'processing' AND ${syncJobs.updatedAt} < now() - ${LEASE}))`,
      ),
    )
    .returning();
  return row ?? null;
}

export async function reportProgress(
  db: Database,
  tenantId: string,
  jobId: string,
  progress: number,
  records: number,
): Promise<void> {
  await db
    .update(syncJobs)
    .set({ progress: Math.max(0, Math.min(99, Math.round(progress))), recordsProcessed: records })
    .where(and(eq(syncJobs.id, jobId), eq(syncJobs.tenantId, tenantId)));
}

/** Keeps resumable state (e.g. the report being waited for) on the job for the next attempt. */
export async function saveJobTarget(
  db: Database,
  tenantId: string,
  jobId: string,
  target: SyncTarget,
): Promise<void> {
  await db
    .update(syncJobs)
    .set({ target })
    .where(and(eq(syncJobs.id, jobId), eq(syncJobs.tenantId, tenantId)));
}

export async function finishJob(
  db: Database,
  tenantId: string,
  jobId: string,
  result: {
    status: 'success' | 'partial' | 'failed';
    records?: number;
    errors?: number;
    message?: string | null;
  },
): Promise<void> {
  await db
    .update(syncJobs)
    .set({
      status: result.status,
      progress: result.status === 'failed' ? sql`${syncJobs.progress}` : 100,
      ...(result.records !== undefined ? { recordsProcessed: result.records } : {}),
      errorCount: sql`${syncJobs.errorCount} + ${result.errors ?? (result.status === 'failed' ? 1 : 0)}`,
      errorMessage: result.message ?? null,
      finishedAt: sql`now()`,
      durationMs: sql`(extract(epoch from (now() - coalesce(${syncJobs.startedAt}, ${syncJobs.queuedAt}))) * 1000)::int`,
    })
    .where(and(eq(syncJobs.id, jobId), eq(syncJobs.tenantId, tenantId)));
}

/** A transient failure: back to queued with the reason, to be retried by the queue. */
export async function requeueJob(
  db: Database,
  tenantId: string,
  jobId: string,
  message: string,
): Promise<void> {
  await db
    .update(syncJobs)
    .set({ status: 'queued', errorCount: sql`${syncJobs.errorCount} + 1`, errorMessage: message })
    .where(and(eq(syncJobs.id, jobId), eq(syncJobs.tenantId, tenantId)));
}

export async function readCursor(db: Database, tenantId: string, type: SyncType): Promise<Date | null> {
  const [row] = await db
    .select({ cursorAt: syncCursors.cursorAt })
    .from(syncCursors)
    .where(and(eq(syncCursors.tenantId, tenantId), eq(syncCursors.type, type)))
    .limit(1);
  return row?.cursorAt ?? null;
}

/** Moves the watermark forward only (a late backfill never rewinds it). */
export async function advanceCursor(db: Database, tenantId: string, type: SyncType, at: Date): Promise<void> {
  await db
    .insert(syncCursors)
    .values({ tenantId, type, cursorAt: at })
    .onConflictDoUpdate({
      target: [syncCursors.tenantId, syncCursors.type],
      set: { cursorAt: sql`greatest(${syncCursors.cursorAt}, excluded.cursor_at)`, updatedAt: new Date() },
    });
}

/** Fails a job that is still open (a finished job keeps its outcome). */
export async function failOpenJob(
  db: Database,
  tenantId: string,
  jobId: string,
  message: string,
): Promise<void> {
  await db
    .update(syncJobs)
    .set({
      status: 'failed',
      errorCount: sql`${syncJobs.errorCount} + 1`,
      errorMessage: message,
      finishedAt: sql`now()`,
      durationMs: sql`(extract(epoch from (now() - coalesce(${syncJobs.startedAt}, ${syncJobs.queuedAt}))) * 1000)::int`,
    })
    .where(
      and(
        eq(syncJobs.id, jobId),
        eq(syncJobs.tenantId, tenantId),
        sql`${syncJobs.status} IN ('queued', 'processing')`,
      ),
    );
}
