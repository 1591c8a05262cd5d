import { sql } from 'drizzle-orm';
import { AmazonError } from '../../../amazon/errors';
import { type SyncJob, type SyncTarget, syncJobs } from '../../../db/schema';
import { raiseAlert } from '../../alerts/raise';
import type { ServiceContext } from '../../context';
import { afterSync } from './after-sync';
import { ResumeState, type SyncOutcome, type SyncRun } from './context';
import { publishSyncEvent, type SyncEvent } from './hub';
import { advanceCursor, elapsedMs, jobWhere, readCursor } from './jobs';

/** `target` without the resumable keys (jsonb `-` per key). */
const withoutResumeState = sql.join(
  [sql`${syncJobs.target}`, ...Object.keys(ResumeState.shape).map((key) => sql`${key}::text`)],
  sql` - `,
);

/** A processing claim older than this is treated as abandoned (the consumer died mid-run). */
const LEASE = sql`interval '15 minutes'`;

/** Queue retry delay for a transient failure: Amazon's hint when given, else 30 s doubling, capped. */
export function retryDelaySeconds(err: unknown, attempt: number): number {
  const hint = err instanceof AmazonError && err.retryAfterMs ? Math.ceil(err.retryAfterMs / 1000) : 0;
  const backoff = Math.min(900, 30 * 2 ** Math.max(0, attempt - 1));
  return Math.min(43_200, Math.max(hint, hint > 0 ? 1 : backoff));
}

/**
 * One claimed attempt at a sync job: the handle the job runner and the syncers use to report
 * progress, keep resumable state and the type's cursor, and record how the attempt ended.
 */
export class JobRun implements SyncRun {
  #job: SyncJob;
  #records = 0;

  private constructor(
    private readonly ctx: ServiceContext,
    job: SyncJob,
  ) {
    this.#job = job;
  }

  /**
   * Claims a job for this attempt; null when it finished already (a re-delivered message) or another
   * consumer is working on it right now.
   */
  static async claim(ctx: ServiceContext, ids: { tenantId: string; jobId: string }): Promise<JobRun | null> {
    const open = sql`(${syncJobs.status} = 'queued' OR (${syncJobs.status} = 'processing' AND ${syncJobs.updatedAt} < now() - ${LEASE}))`;
    const [row] = await ctx.db
      .update(syncJobs)
      .set({
        status: 'processing',
        startedAt: sql`coalesce(${syncJobs.startedAt}, now())`,
        attempts: sql`${syncJobs.attempts} + 1`,
        updatedAt: sql`now()`,
      })
      .where(jobWhere(ids.tenantId, ids.jobId, open))
      .returning();
    return row ? new JobRun(ctx, row) : null;
  }

  get job(): SyncJob {
    return this.#job;
  }

  /** The entity a targeted job is about (one order, ASIN or SKU); empty for a full sync. */
  get target(): SyncTarget {
    return this.#job.target ?? {};
  }

  /** State the previous attempt left (empty on the first attempt or when unreadable). */
  get resume(): ResumeState {
    return ResumeState.safeParse(this.#job.target ?? {}).data ?? {};
  }

  /** Records reported so far (for the failure log). */
  get records(): number {
    return this.#records;
  }

  async progress(percent: number, records: number): Promise<void> {
    this.#records = records;
    await this.ctx.db
      .update(syncJobs)
      .set({ progress: Math.max(0, Math.min(99, Math.round(percent))), recordsProcessed: records })
      .where(this.#where());
    await this.#publish('sync.progress', { progress: Math.round(percent), records });
  }

  async remember(state: ResumeState): Promise<void> {
    const target: SyncTarget = { ...this.target, ...state };
    this.#job = { ...this.#job, target };
    await this.ctx.db.update(syncJobs).set({ target }).where(this.#where());
  }

  /** The type's incremental watermark for this tenant. */
  cursor(): Promise<Date | null> {
    return readCursor(this.ctx.db, this.#job.tenantId, this.#job.type);
  }

  advanceCursor(at: Date): Promise<void> {
    return advanceCursor(this.ctx.db, this.#job.tenantId, this.#job.type, at);
  }

  /** A transient failure: back to queued with the reason; the queue redelivers the message. */
  async retry(reason: string): Promise<void> {
    await this.ctx.db
      .update(syncJobs)
      .set({ status: 'queued', errorCount: sql`${syncJobs.errorCount} + 1`, errorMessage: reason })
      .where(this.#where());
  }

  /** The job failed for good; `alert` raises SYNC_FAILED (not for causes already alerted). */
  async fail(reason: string, opts: { alert: boolean }): Promise<void> {
    const { id, type, tenantId } = this.#job;
    await this.ctx.db
      .update(syncJobs)
      .set({
        status: 'failed',
        errorCount: sql`${syncJobs.errorCount} + 1`,
        errorMessage: reason,
        finishedAt: sql`now()`,
        durationMs: elapsedMs,
      })
      .where(this.#where());
    if (opts.alert) {
      await raiseAlert(this.ctx.db, tenantId, {
        type: 'SYNC_FAILED',
        severity: 'medium',
        title: `${type} sync failed`,
        message: reason,
        data: { jobId: id, syncType: type },
        dedupeKey: `SYNC_FAILED:${type}`,
      });
    }
    await this.#publish('sync.failed', { reason });
  }

  /**
   * Records the outcome (partial when some rows or calls failed), drops the resumable state, then
   * runs the after-sync steps. Those are best effort: the data is written, and a failed rollup
   * refresh is logged and redone by the next sync.
   */
  async finish(outcome: SyncOutcome): Promise<'success' | 'partial'> {
    const status = outcome.errors > 0 ? 'partial' : 'success';
    await this.ctx.db
      .update(syncJobs)
      .set({
        status,
        progress: 100,
        recordsProcessed: outcome.records,
        errorCount: sql`${syncJobs.errorCount} + ${outcome.errors}`,
        errorMessage: outcome.warnings.length > 0 ? outcome.warnings.join('; ').slice(0, 1000) : null,
        finishedAt: sql`now()`,
        durationMs: elapsedMs,
        target: withoutResumeState,
      })
      .where(this.#where());
    try {
      await afterSync(this.ctx, this.#job, outcome);
      await this.#publish('sync.completed', { status, records: outcome.records, errors: outcome.errors });
    } catch (err) {
      this.ctx.logger.error('post-sync steps failed', { error: err });
    }
    return status;
  }

  #where() {
    return jobWhere(this.#job.tenantId, this.#job.id);
  }

  #publish(type: SyncEvent['type'], data: Record<string, unknown>): Promise<void> {
    const { id, type: syncType, tenantId } = this.#job;
    return publishSyncEvent(this.ctx, tenantId, { type, data: { jobId: id, syncType, ...data } });
  }
}
