import { eq, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { AmazonError } from '../../../amazon/errors';
import { type SyncJob, type SyncTarget, syncJobs } from '../../../db/schema';
import { raiseAlert } from '../../alerts/raise';
import type { ServiceContext, TenantInfo } from '../../context';
import { afterSync } from './after-sync';
import { ResumeState, type SyncOutcome, type SyncRun } from './context';
import { describeSyncError } from './describe-error';
import { publishSyncEvent, type SyncEvent } from './hub';
import {
  advanceCursor,
  CLAIM_LEASE_SECONDS,
  DELIVERY_LEASE_SECONDS,
  elapsedMs,
  jobWhere,
  leaseFromNow,
  readCursor,
} from './jobs';

/** `target` without the resumable keys (jsonb `-` per key). */
const withoutResumeState = sql.join(
  [sql`${syncJobs.target}`, ...Object.keys(ResumeState.shape).map((key) => sql`${key}::text`)],
  sql` - `,
);

/** How often a running attempt renews its claim while it waits without progress (report polls). */
const HEARTBEAT_MS = 60_000;

/** This attempt no longer holds the job: its lease ran out and another attempt took the job over. */
export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`job ${jobId} was taken over by another attempt`);
    this.name = 'LeaseLostError';
  }
}

/** Why a message found its job not claimable, and for how long a live claim still holds it. */
export interface JobHolder {
  status: SyncJob['status'];
  leaseSeconds: number;
}

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
   * Claims a job for this attempt with a lease: a queued job, or a processing one whose lease ran
   * out (its attempt died; this one takes over from the state it saved). Null when the job is
   * finished (a re-delivered message) or a live attempt holds it.
   */
  static async claim(ctx: ServiceContext, ids: { tenantId: string; jobId: string }): Promise<JobRun | null> {
    const claimable = sql`(${syncJobs.status} = 'queued' OR (${syncJobs.status} = 'processing' AND ${syncJobs.leaseExpiresAt} <= now()))`;
    const [row] = await ctx.db
      .update(syncJobs)
      .set({
        status: 'processing',
        startedAt: sql`coalesce(${syncJobs.startedAt}, now())`,
        attempts: sql`${syncJobs.attempts} + 1`,
        leaseExpiresAt: leaseFromNow(CLAIM_LEASE_SECONDS),
        updatedAt: sql`now()`,
      })
      .where(jobWhere(ids.tenantId, ids.jobId, claimable))
      .returning();
    return row ? new JobRun(ctx, row) : null;
  }

  /** The job's status and the seconds left on its lease (null when the job is gone). */
  static async holder(
    ctx: ServiceContext,
    ids: { tenantId: string; jobId: string },
  ): Promise<JobHolder | null> {
    const [row] = await ctx.db
      .select({
        status: syncJobs.status,
        leaseSeconds: sql<number>`greatest(0, ceil(extract(epoch from ${syncJobs.leaseExpiresAt} - now())))::int`,
      })
      .from(syncJobs)
      .where(jobWhere(ids.tenantId, ids.jobId));
    return row ?? null;
  }

  /**
   * Renews the lease every minute until `stop` is called, so a long quiet step (a report poll) keeps
   * the job. A dead isolate stops renewing, and the lease runs out.
   */
  keepLeased(): { stop(): void } {
    const timer = setInterval(() => {
      this.#update({}).catch((err: unknown) => {
        if (err instanceof LeaseLostError) clearInterval(timer);
        else this.ctx.logger.warn('sync lease renewal failed', { error: describeSyncError(err) });
      });
    }, HEARTBEAT_MS);
    return { stop: () => clearInterval(timer) };
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

  /** Reports progress and renews the lease (throws LeaseLostError when another attempt took over). */
  async progress(percent: number, records: number): Promise<void> {
    this.#records = records;
    await this.#update({
      progress: Math.max(0, Math.min(99, Math.round(percent))),
      recordsProcessed: records,
    });
    await this.#publish('sync.progress', { progress: Math.round(percent), records });
  }

  /** Saves a checkpoint the next attempt resumes from, and renews the lease. */
  async remember(state: ResumeState): Promise<void> {
    const target: SyncTarget = { ...this.target, ...state };
    await this.#update({ target });
    this.#job = { ...this.#job, target };
  }

  /** The type's incremental watermark for this tenant. */
  cursor(): Promise<Date | null> {
    return readCursor(this.ctx.db, this.#job.tenantId, this.#job.type);
  }

  advanceCursor(at: Date): Promise<void> {
    return advanceCursor(this.ctx.db, this.#job.tenantId, this.#job.type, at);
  }

  /**
   * A transient failure: back to queued with the reason; the queue redelivers the message after
   * `delaySeconds`, and the cron re-sends it if it has not come by then plus the delivery lease.
   */
  async retry(reason: string, delaySeconds: number): Promise<void> {
    await this.#update({
      status: 'queued',
      errorCount: sql`${syncJobs.errorCount} + 1`,
      errorMessage: reason,
      leaseExpiresAt: leaseFromNow(delaySeconds + DELIVERY_LEASE_SECONDS),
    });
  }

  /** The job failed for good; `alert` raises SYNC_FAILED (not for causes already alerted). */
  async fail(reason: string, opts: { alert: boolean }): Promise<void> {
    const { id, type, tenantId } = this.#job;
    await this.#update({
      status: 'failed',
      errorCount: sql`${syncJobs.errorCount} + 1`,
      errorMessage: reason,
      finishedAt: sql`now()`,
      durationMs: elapsedMs,
    });
    if (opts.alert) {
      await raiseAlert(
        { db: this.ctx.db, tenant: { id: tenantId } },
        {
          type: 'SYNC_FAILED',
          severity: 'medium',
          title: `${type} sync failed`,
          message: reason,
          data: { jobId: id, syncType: type },
          dedupeKey: `SYNC_FAILED:${type}`,
        },
      );
    }
    await this.#publish('sync.failed', { reason });
  }

  /**
   * Records the outcome (partial when some rows or calls failed), drops the resumable state, then
   * runs the after-sync steps. Those are best effort: the data is written, and a failed rollup
   * refresh is logged and redone by the next sync.
   */
  async finish(outcome: SyncOutcome, tenant: TenantInfo): Promise<'success' | 'partial'> {
    const status = outcome.errors > 0 ? 'partial' : 'success';
    await this.#update({
      status,
      progress: 100,
      recordsProcessed: outcome.records,
      errorCount: sql`${syncJobs.errorCount} + ${outcome.errors}`,
      errorMessage: outcome.warnings.length > 0 ? outcome.warnings.join('; ').slice(0, 1000) : null,
      finishedAt: sql`now()`,
      durationMs: elapsedMs,
      target: withoutResumeState,
    });
    try {
      await afterSync({ db: this.ctx.db, tenant }, this.#job, outcome);
      await this.#publish('sync.completed', { status, records: outcome.records, errors: outcome.errors });
    } catch (err) {
      this.ctx.logger.error('post-sync steps failed', { error: describeSyncError(err) });
    }
    return status;
  }

  /**
   * Every write of this attempt goes through here: only while this attempt still holds the job
   * (processing, and `attempts` still this claim's number, which fences off an attempt that was
   * taken over), and each write renews the lease. A status other than processing ends the lease.
   */
  async #update(set: PgUpdateSetSource<typeof syncJobs>): Promise<void> {
    const { id, tenantId, attempts } = this.#job;
    const rows = await this.ctx.db
      .update(syncJobs)
      .set({ leaseExpiresAt: leaseFromNow(CLAIM_LEASE_SECONDS), ...set })
      .where(jobWhere(tenantId, id, eq(syncJobs.status, 'processing'), eq(syncJobs.attempts, attempts)))
      .returning({ id: syncJobs.id });
    if (rows.length === 0) throw new LeaseLostError(id);
  }

  #publish(type: SyncEvent['type'], data: Record<string, unknown>): Promise<void> {
    const { id, type: syncType, tenantId } = this.#job;
    return publishSyncEvent(this.ctx, tenantId, { type, data: { jobId: id, syncType, ...data } });
  }
}
