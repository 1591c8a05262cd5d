import { AmazonError } from '../../amazon/errors';
import type { SyncMessage } from '../../messages';
import { adsClient, spClient } from '../amazon-account/clients';
import { type CredentialType, loadCredential, markCredentialInvalid } from '../amazon-account/credentials';
import { tuningFrom } from '../amazon-account/tuning';
import type { ServiceContext } from '../context';
import { loadTenantContext } from '../tenant/context';
import type { SyncContext, Syncer, SyncOutcome } from './engine/context';
import { describeSyncError } from './engine/describe-error';
import { JobRun, LeaseLostError, retryDelaySeconds } from './engine/job-run';
import { FINAL_STATUSES, MAX_JOB_ATTEMPTS } from './engine/jobs';
import { inactiveTenantReason } from './engine/tenant-status';
import { SYNCERS } from './syncers';

export type JobOutcome =
  | { action: 'ack'; status: 'success' | 'partial' | 'failed' | 'skipped'; reason?: string }
  | { action: 'retry'; delaySeconds: number; reason: string };

export interface RunOptions {
  /** 1 for the first delivery (Queues' message.attempts). */
  attempt: number;
  /** Attempts after which a transient failure fails the job instead of retrying (default MAX_JOB_ATTEMPTS). */
  maxAttempts?: number;
}

/** Builds the Amazon client the syncer reads through and runs it. */
function runSyncer(syncer: Syncer, ctx: SyncContext, msg: SyncMessage): Promise<SyncOutcome> {
  const { env, credential, tuning } = ctx;
  if (syncer.credential === 'ADS')
    return syncer.run({ ...ctx, ads: adsClient(env, credential, msg.priority, tuning) });
  return syncer.run({ ...ctx, sp: spClient(env, credential, msg.priority, tuning) });
}

/**
 * Runs one sync job end to end and says what the queue should do with its message: ack on
 * success and on permanent failure (the job records why), retry with a delay on transient failure.
 * A revoked grant switches the credential off and alerts instead of retrying; a tenant that is not
 * active (suspended) is not synced, and the job fails with that reason. A job another attempt
 * holds is retried once its lease would have run out (if that attempt died, this message then
 * takes the job over); a finished job is acked.
 */
export async function runSyncJob(
  base: ServiceContext,
  msg: SyncMessage,
  opts: RunOptions,
): Promise<JobOutcome> {
  const ctx = { ...base, logger: base.logger.child({ jobId: msg.jobId, syncType: msg.type }) };
  const run = await JobRun.claim(ctx, msg);
  if (!run) return notClaimed(ctx, msg);
  const lease = run.keepLeased();
  try {
    return await runClaimed(ctx, run, msg, opts);
  } catch (err) {
    if (!(err instanceof LeaseLostError)) throw err;
    ctx.logger.warn('sync attempt lost its lease to another attempt', { attempts: run.job.attempts });
    return { action: 'ack', status: 'skipped', reason: err.message };
  } finally {
    lease.stop();
  }
}

/** The message's job is finished, gone, or held by a live attempt. */
async function notClaimed(ctx: ServiceContext, msg: SyncMessage): Promise<JobOutcome> {
  const holder = await JobRun.holder(ctx, msg);
  if (!holder || FINAL_STATUSES.some((s) => s === holder.status))
    return { action: 'ack', status: 'skipped', reason: 'job already finished' };
  // Held (or re-queued a moment ago): come back when the lease would have run out.
  return {
    action: 'retry',
    delaySeconds: Math.max(5, holder.leaseSeconds + 5),
    reason: 'job held by another attempt',
  };
}

async function runClaimed(
  ctx: ServiceContext,
  run: JobRun,
  msg: SyncMessage,
  opts: RunOptions,
): Promise<JobOutcome> {
  if (run.job.attempts > MAX_JOB_ATTEMPTS) {
    const reason = `gave up: ${MAX_JOB_ATTEMPTS} attempts started without finishing`;
    await run.fail(reason, { alert: true });
    return { action: 'ack', status: 'failed', reason };
  }
  const inactive = await inactiveTenantReason(ctx.db, msg.tenantId);
  if (inactive) {
    await run.fail(inactive, { alert: false });
    return { action: 'ack', status: 'skipped', reason: inactive };
  }
  const syncer = SYNCERS[msg.type];
  const credential = await loadCredential({ db: ctx.db, tenant: { id: msg.tenantId } }, syncer.credential);
  if (!credential?.isActive) {
    const reason = credential
      ? `Amazon ${syncer.credential} connection is inactive: reconnect the account`
      : `No Amazon ${syncer.credential} connection`;
    await run.fail(reason, { alert: false });
    return { action: 'ack', status: 'failed', reason };
  }
  const tenantCtx = await loadTenantContext(ctx, msg.tenantId);
  const tuning = tuningFrom(ctx.env);
  let outcome: SyncOutcome;
  try {
    outcome = await runSyncer(syncer, { ...tenantCtx, run, credential, tuning }, msg);
  } catch (err) {
    if (err instanceof LeaseLostError) throw err;
    return failed({ ...ctx, run, credentialType: syncer.credential }, err, opts);
  }
  return { action: 'ack', status: await run.finish(outcome, tenantCtx.tenant) };
}

/** A failed attempt: retried while transient and attempts remain, else the job fails with the reason. */
async function failed(
  ctx: ServiceContext & { run: JobRun; credentialType: CredentialType },
  err: unknown,
  opts: RunOptions,
): Promise<JobOutcome> {
  const { run, logger } = ctx;
  const maxAttempts = opts.maxAttempts ?? MAX_JOB_ATTEMPTS;
  // The job's own count includes attempts that died and were taken over, which the message's does not.
  const attempt = Math.max(opts.attempt, run.job.attempts);
  const message = describeSyncError(err);
  if (err instanceof AmazonError && err.kind === 'auth') {
    await markCredentialInvalid(
      { db: ctx.db, tenant: { id: run.job.tenantId } },
      { type: ctx.credentialType, reason: message },
    );
    await run.fail(message, { alert: false });
    return { action: 'ack', status: 'failed', reason: message };
  }
  const transient = !(err instanceof AmazonError) || err.kind === 'transient';
  if (transient && attempt < maxAttempts) {
    logger.warn('sync attempt failed, will retry', { attempt, error: message });
    const delaySeconds = retryDelaySeconds(err, attempt);
    await run.retry(message, delaySeconds);
    return { action: 'retry', delaySeconds, reason: message };
  }
  logger.error('sync failed', { attempt, error: message, records: run.records });
  const reason = transient ? `${message} (gave up after ${attempt} attempts)` : message;
  await run.fail(reason, { alert: true });
  return { action: 'ack', status: 'failed', reason };
}
