import { createDb } from '../src/db/client';
import type { AppEnv } from '../src/env';
import { createLogger } from '../src/lib/logger';
import type { SyncMessage } from '../src/messages';
import { describeSyncError } from '../src/services/sync/engine/describe-error';
import { failOpenJob, MAX_JOB_ATTEMPTS } from '../src/services/sync/engine/jobs';
import { type RunOptions, runSyncJob } from '../src/services/sync/run-job';

/**
 * SYNC_QUEUE consumer: every message runs concurrently (different tenants or types;
 * the per-seller SellerQuota keeps them within Amazon's quota) and is acked or retried on its own.
 */
export async function consumeSyncMessages(
  messages: readonly Message<SyncMessage>[],
  env: AppEnv,
  ctx: ExecutionContext,
  options: Partial<RunOptions> = {},
): Promise<void> {
  const handle = createDb(env);
  const logger = createLogger(env.LOG_LEVEL, { queue: 'sync' });
  const base = { db: handle.db, logger, env };
  try {
    await Promise.all(
      messages.map(async (message) => {
        try {
          const outcome = await runSyncJob(base, message.body, {
            // wrangler.toml max_retries is 5: the sixth delivery is the last before the dead-letter queue.
            maxAttempts: MAX_JOB_ATTEMPTS,
            ...options,
            attempt: message.attempts,
          });
          if (outcome.action === 'retry') message.retry({ delaySeconds: outcome.delaySeconds });
          else message.ack();
        } catch (err) {
          // Database or platform trouble: let the queue retry; the DLQ records the final failure.
          logger.error('sync message crashed', { jobId: message.body.jobId, error: describeSyncError(err) });
          message.retry({ delaySeconds: Math.min(300, 15 * message.attempts) });
        }
      }),
    );
  } finally {
    ctx.waitUntil(handle.close());
  }
}

/**
 * Dead-letter consumer: the job is marked failed with the reason, never silently dropped (unless a
 * live attempt holds it: then this was a duplicate message, and that attempt records the outcome).
 */
export async function consumeSyncDeadLetters(
  messages: readonly Message<SyncMessage>[],
  env: AppEnv,
  ctx: ExecutionContext,
): Promise<void> {
  const handle = createDb(env);
  try {
    for (const message of messages) {
      const body = message.body;
      try {
        await failOpenJob(
          handle.db,
          body.tenantId,
          body.jobId,
          `Sync message dead-lettered after ${message.attempts} deliveries without completing`,
        );
        message.ack();
      } catch {
        // The database is unreachable: keep the message until the job can be marked.
        message.retry({ delaySeconds: 60 });
      }
    }
  } finally {
    ctx.waitUntil(handle.close());
  }
}
