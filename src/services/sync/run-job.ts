import { and, eq, sql } from 'drizzle-orm';
import { AmazonError } from '../../amazon/errors';
import type { Database } from '../../db/client';
import { syncJobs, tenants } from '../../db/schema';
import type { AppEnv } from '../../env';
import { createLogger, type Logger } from '../../lib/logger';
import type { SyncMessage } from '../../messages';
import { raiseAlert } from '../alerts/raise';
import { adsClient, spClient } from '../amazon-account/clients';
import { loadCredential, markCredentialInvalid } from '../amazon-account/credentials';
import { type Tuning, type TuningVars, tuningFrom } from '../amazon-account/tuning';
import { syncAds } from './ads';
import { afterSync, publish } from './after-sync';
import { emptyOutcome, type SyncContext, type SyncOutcome } from './context';
import { syncFinance } from './finance';
import { syncInventory } from './inventory';
import { finishJob, reportProgress, requeueJob, saveJobTarget, startJob } from './jobs';
import { backfillOrders, incrementalOrders, syncOneOrder } from './orders';
import { syncPricing } from './pricing';

export type JobOutcome =
  | { action: 'ack'; status: 'success' | 'partial' | 'failed' | 'skipped'; reason?: string }
  | { action: 'retry'; delaySeconds: number; reason: string };

export interface RunOptions {
  /** 1 for the first delivery (Queues' message.attempts). */
  attempt: number;
  /** Attempts after which a transient failure fails the job instead of retrying. */
  maxAttempts?: number;
  tuning?: Tuning;
  fetcher?: typeof fetch;
  logger?: Logger;
}

/** Queue retry delay for a transient failure: Amazon's hint when given, else 30 s doubling, capped. */
export function retryDelaySeconds(err: unknown, attempt: number): number {
  const hint = err instanceof AmazonError && err.retryAfterMs ? Math.ceil(err.retryAfterMs / 1000) : 0;
  const backoff = Math.min(900, 30 * 2 ** Math.max(0, attempt - 1));
  return Math.min(43_200, Math.max(hint, hint > 0 ? 1 : backoff));
}

async function runType(ctx: SyncContext, msg: SyncMessage): Promise<SyncOutcome> {
  const target = ctx.job.target ?? {};
  switch (msg.type) {
    case 'orders':
      if (typeof target.amazonOrderId === 'string') return syncOneOrder(ctx, target.amazonOrderId);
      if (ctx.job.rangeStart && ctx.job.rangeEnd)
        return backfillOrders(ctx, { start: ctx.job.rangeStart, end: ctx.job.rangeEnd });
      return incrementalOrders(ctx);
    case 'inventory':
      return syncInventory(ctx);
    case 'pricing':
      return syncPricing(ctx);
    case 'finance':
      return syncFinance(ctx);
    case 'ads':
      return syncAds(ctx, adsClient(ctx.env, ctx.credential, ctx.priority, ctx.tuning));
  }
}

/**
 * Runs one sync job end to end and says what the queue should do with its message: ack on
 * success and on permanent failure (the job records why), retry with a delay on transient failure.
 * A revoked grant switches the credential off and alerts instead of retrying.
 */
export async function runSyncJob(
  env: AppEnv,
  db: Database,
  msg: SyncMessage,
  opts: RunOptions,
): Promise<JobOutcome> {
  const logger = (opts.logger ?? createLogger(env.LOG_LEVEL)).child({ jobId: msg.jobId, syncType: msg.type });
  const maxAttempts = opts.maxAttempts ?? 5;
  const job = await startJob(db, msg.tenantId, msg.jobId);
  if (!job) return { action: 'ack', status: 'skipped', reason: 'job already finished or claimed' };
  const fail = async (message: string, alert: boolean) => {
    await finishJob(db, msg.tenantId, job.id, { status: 'failed', message });
    if (alert) {
      await raiseAlert(db, msg.tenantId, {
        type: 'SYNC_FAILED',
        severity: 'medium',
        title: `${msg.type} sync failed`,
        message,
        data: { jobId: job.id, syncType: msg.type },
        dedupeKey: `SYNC_FAILED:${msg.type}`,
      });
    }
    await publish(
      env,
      msg.tenantId,
      { type: 'sync.failed', data: { jobId: job.id, syncType: msg.type, reason: message } },
      logger,
    );
    return { action: 'ack', status: 'failed', reason: message } as const;
  };

  const credentialType = msg.type === 'ads' ? 'ADS' : 'SPAPI';
  const credential = await loadCredential(db, msg.tenantId, credentialType);
  if (!credential?.isActive) {
    return fail(
      credential
        ? `Amazon ${credentialType} connection is inactive: reconnect the account`
        : `No Amazon ${credentialType} connection`,
      false,
    );
  }
  const [tenant] = await db
    .select({ timezone: tenants.timezone })
    .from(tenants)
    .where(eq(tenants.id, msg.tenantId))
    .limit(1);
  const tuning = opts.tuning ?? tuningFrom(env as TuningVars);
  const priority = msg.priority;
  let records = 0;
  const ctx: SyncContext = {
    env,
    db,
    tenantId: msg.tenantId,
    job,
    credential,
    sp: spClient(env, credential, priority, tuning),
    priority,
    tuning,
    logger,
    marketplaceIds: credential.marketplaceIds,
    timezone: tenant?.timezone ?? 'UTC',
    fetcher: opts.fetcher ?? ((input, init) => fetch(input, init)),
    progress: async (percent, count) => {
      records = count;
      await reportProgress(db, msg.tenantId, job.id, percent, count);
      await publish(env, msg.tenantId, {
        type: 'sync.progress',
        data: { jobId: job.id, syncType: msg.type, progress: Math.round(percent), records: count },
      });
    },
    remember: async (state) => {
      ctx.job = { ...ctx.job, target: { ...(ctx.job.target ?? {}), ...state } };
      await saveJobTarget(db, msg.tenantId, job.id, ctx.job.target!);
    },
  };

  let outcome: SyncOutcome = emptyOutcome();
  try {
    outcome = await runType(ctx, msg);
  } catch (err) {
    // Driver errors can carry a whole batch of parameters: keep the reason short.
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
    if (err instanceof AmazonError && err.kind === 'auth') {
      await markCredentialInvalid(db, msg.tenantId, credentialType, message);
      return fail(message, false);
    }
    const transient = !(err instanceof AmazonError) || err.kind === 'transient';
    if (transient && opts.attempt < maxAttempts) {
      logger.warn('sync attempt failed, will retry', { attempt: opts.attempt, error: message });
      await requeueJob(db, msg.tenantId, job.id, message);
      return { action: 'retry', delaySeconds: retryDelaySeconds(err, opts.attempt), reason: message };
    }
    logger.error('sync failed', { attempt: opts.attempt, error: message, records });
    return fail(transient ? `${message} (gave up after ${opts.attempt} attempts)` : message, true);
  }
  const status = outcome.errors > 0 ? 'partial' : 'success';
  const note = outcome.warnings.length > 0 ? outcome.warnings.join('; ').slice(0, 1000) : null;
  await finishJob(db, msg.tenantId, job.id, {
    status,
    records: outcome.records,
    errors: outcome.errors,
    message: note,
  });
  await db
    .update(syncJobs)
    .set({ target: sql`${syncJobs.target} - 'reportId' - 'listingReports'` })
    .where(
      and(eq(syncJobs.id, job.id), eq(syncJobs.tenantId, msg.tenantId), sql`${syncJobs.target} IS NOT NULL`),
    );
  try {
    await afterSync(env, db, msg.tenantId, { id: job.id, type: msg.type, status }, outcome, logger);
  } catch (err) {
    // The data is written; a failed rollup refresh is logged and redone by the next sync.
    logger.error('post-sync steps failed', { error: err as Error });
  }
  return { action: 'ack', status };
}
