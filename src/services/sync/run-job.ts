import { AmazonError } from '../../amazon/errors';
import type { SyncMessage } from '../../messages';
import { adsClient, spClient } from '../amazon-account/clients';
import { type CredentialType, loadCredential, markCredentialInvalid } from '../amazon-account/credentials';
import { type TuningVars, tuningFrom } from '../amazon-account/tuning';
import type { ServiceContext } from '../context';
import { loadTenantContext } from '../tenant/context';
import type { SyncContext, Syncer, SyncOutcome } from './engine/context';
import { JobRun, retryDelaySeconds } from './engine/job-run';
import { SYNCERS } from './syncers';

export type JobOutcome =
  | { action: 'ack'; status: 'success' | 'partial' | 'failed' | 'skipped'; reason?: string }
  | { action: 'retry'; delaySeconds: number; reason: string };

export interface RunOptions {
  /** 1 for the first delivery (Queues' message.attempts). */
  attempt: number;
  /** Attempts after which a transient failure fails the job instead of retrying. */
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
 * A revoked grant switches the credential off and alerts instead of retrying.
 */
export async function runSyncJob(
  base: ServiceContext,
  msg: SyncMessage,
  opts: RunOptions,
): Promise<JobOutcome> {
  const ctx = { ...base, logger: base.logger.child({ jobId: msg.jobId, syncType: msg.type }) };
  const run = await JobRun.claim(ctx, msg);
  if (!run) return { action: 'ack', status: 'skipped', reason: 'job already finished or claimed' };
  const syncer = SYNCERS[msg.type];
  const credential = await loadCredential(ctx.db, msg.tenantId, syncer.credential);
  if (!credential?.isActive) {
    const reason = credential
      ? `Amazon ${syncer.credential} connection is inactive: reconnect the account`
      : `No Amazon ${syncer.credential} connection`;
    await run.fail(reason, { alert: false });
    return { action: 'ack', status: 'failed', reason };
  }
  const tenantCtx = await loadTenantContext(ctx, msg.tenantId);
  // The optional tuning vars are test and sandbox settings the generated Env does not declare.
  const tuning = tuningFrom(ctx.env as TuningVars);
  let outcome: SyncOutcome;
  try {
    outcome = await runSyncer(syncer, { ...tenantCtx, run, credential, tuning }, msg);
  } catch (err) {
    return failed({ ...ctx, run, credentialType: syncer.credential }, err, opts);
  }
  return { action: 'ack', status: await run.finish(outcome) };
}

/** A failed attempt: retried while transient and attempts remain, else the job fails with the reason. */
async function failed(
  ctx: ServiceContext & { run: JobRun; credentialType: CredentialType },
  err: unknown,
  opts: RunOptions,
): Promise<JobOutcome> {
  const { run, logger } = ctx;
  const maxAttempts = opts.maxAttempts ?? 5;
  // Driver errors can carry a whole batch of parameters: keep the reason short.
  const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
  if (err instanceof AmazonError && err.kind === 'auth') {
    await markCredentialInvalid(ctx.db, run.job.tenantId, ctx.credentialType, message);
    await run.fail(message, { alert: false });
    return { action: 'ack', status: 'failed', reason: message };
  }
  const transient = !(err instanceof AmazonError) || err.kind === 'transient';
  if (transient && opts.attempt < maxAttempts) {
    logger.warn('sync attempt failed, will retry', { attempt: opts.attempt, error: message });
    await run.retry(message);
    return { action: 'retry', delaySeconds: retryDelaySeconds(err, opts.attempt), reason: message };
  }
  logger.error('sync failed', { attempt: opts.attempt, error: message, records: run.records });
  const reason = transient ? `${message} (gave up after ${opts.attempt} attempts)` : message;
  await run.fail(reason, { alert: true });
  return { action: 'ack', status: 'failed', reason };
}
