import { createDb } from '../src/db/client';
import type { AppEnv } from '../src/env';
import { createLogger } from '../src/lib/logger';
import { recoverAbandonedJobs } from '../src/services/sync/engine/recover';
import { enqueueScheduled } from '../src/services/sync/schedule';

/**
 * Cron only enqueues idempotent work: Cron Triggers run in UTC with no exactly-once promise.
 * `only` limits the tick to some tenants (tests); production passes nothing.
 */
export async function handleScheduled(
  controller: ScheduledController,
  env: AppEnv,
  ctx: ExecutionContext,
  only?: { tenantIds: string[] },
): Promise<void> {
  const logger = createLogger(env.LOG_LEVEL, { cron: controller.cron });
  const handle = createDb(env);
  try {
    const now = new Date(controller.scheduledTime);
    // Dead and lost jobs first: once re-sent they are live again and the schedule skips their type.
    const recovered = await recoverAbandonedJobs({ db: handle.db, env }, only ?? {});
    const scheduled = await enqueueScheduled(
      { db: handle.db, env },
      { cron: controller.cron, now, ...(only ? { tenantIds: only.tenantIds } : {}) },
    );
    // Suspended tenants are never scheduled; the count says why they got nothing.
    logger.info('cron tick', { scheduledTime: now.toISOString(), ...scheduled, ...recovered });
  } finally {
    ctx.waitUntil(handle.close());
  }
}
