import { and, eq, inArray, not, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { type SyncJob, type SyncTarget, syncCursors, syncJobs } from '../../../db/schema';
import type { SYNC_STATUSES, SYNC_TRIGGERS } from '../../../db/schema/sync';
import { chunks } from '../../../db/upsert';
import type { SyncPriority, SyncType } from '../../../messages';

export type SyncTrigger = (typeof SYNC_TRIGGERS)[number];
type SyncStatus = (typeof SYNC_STATUSES)[number];

/** A job waiting for or held by a consumer. */
export const OPEN_STATUSES = ['queued', 'processing'] as const satisfies readonly SyncStatus[];
/** A job whose outcome is recorded; it never runs again. */
export const FINAL_STATUSES = ['success', 'partial', 'failed'] as const satisfies readonly SyncStatus[];
export type FinalStatus = (typeof FINAL_STATUSES)[number];

/**
 * How long a claim holds a job. The running attempt renews it every minute and on every progress
 * report or checkpoint, so it only runs out when the attempt died (isolate killed, deploy, crash).
 */
export const CLAIM_LEASE_SECONDS = 180;
/** How long a queued job may wait for its queue message before the cron sends it again. */
export const DELIVERY_LEASE_SECONDS = 15 * 60;
/** Claims a job gets at most: Queues' first delivery plus max_retries (5, wrangler.toml). */
export const MAX_JOB_ATTEMPTS = 6;

/** The instant `seconds` from now, on the database's clock (every lease is compared with now()). */
export const leaseFromNow = (seconds: number) => sql`now() + (${seconds})::float8 * interval '1 second'`;

/** An open job whose lease ran out: its attempt died, or its message was lost. */
export const abandoned = sql`(${inArray(syncJobs.status, [...OPEN_STATUSES])} AND ${syncJobs.leaseExpiresAt} <= now())`;

/** A job some attempt holds right now (its lease is live). */
export const heldByLiveAttempt = sql`(${syncJobs.status} = 'processing' AND ${syncJobs.leaseExpiresAt} > now())`;

export interface NewJob {
  tenantId: string;
  type: SyncType;
  trigger: SyncTrigger;
  priority: SyncPriority;
  range?: { start: Date; end: Date };
  target?: SyncTarget;
}

export async function createJobs(db: Db, jobs: NewJob[]): Promise<SyncJob[]> {
  const created: SyncJob[] = [];
  for (const part of chunks(jobs)) {
    const rows = await db
      .insert(syncJobs)
      .values(
        part.map((j) => ({
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
    created.push(...rows);
  }
  return created;
}

/** Row filter for one job of one tenant (every job statement is tenant-scoped). */
export function jobWhere(tenantId: string, jobId: string, ...more: SQL[]): SQL | undefined {
  return and(eq(syncJobs.id, jobId), eq(syncJobs.tenantId, tenantId), ...more);
}

/** Milliseconds since the job started (or was queued, if it never started), for `duration_ms`. */
export const elapsedMs = sql`(extract(epoch from (now() - coalesce(${syncJobs.startedAt}, ${syncJobs.queuedAt}))) * 1000)::int`;

/**
 * Fails a job that is still open (a finished job keeps its outcome), unless a live attempt holds
 * it: a duplicate message running out of deliveries must not fail a job that is being worked on.
 */
export async function failOpenJob(db: Db, tenantId: string, jobId: string, message: string): Promise<void> {
  await db
    .update(syncJobs)
    .set({
      status: 'failed',
      errorCount: sql`${syncJobs.errorCount} + 1`,
      errorMessage: message,
      finishedAt: sql`now()`,
      durationMs: elapsedMs,
    })
    .where(jobWhere(tenantId, jobId, inArray(syncJobs.status, [...OPEN_STATUSES]), not(heldByLiveAttempt)));
}

export async function readCursor(db: Db, tenantId: string, type: SyncType): Promise<Date | null> {
  const [row] = await db
    .select({ cursorAt: syncCursors.cursorAt })
    .from(syncCursors)
    .where(and(eq(syncCursors.tenantId, tenantId), eq(syncCursors.type, type)))
    .limit(1);
  return row?.cursorAt ?? null;
}

/** Moves the watermark forward only (a late backfill never rewinds it). */
export async function advanceCursor(db: Db, tenantId: string, type: SyncType, at: Date): Promise<void> {
  await db
    .insert(syncCursors)
    .values({ tenantId, type, cursorAt: at })
    .onConflictDoUpdate({
      target: [syncCursors.tenantId, syncCursors.type],
      set: {
        cursorAt: sql`greatest(${syncCursors.cursorAt}, excluded.${sql.identifier(syncCursors.cursorAt.name)})`,
        updatedAt: new Date(),
      },
    });
}
