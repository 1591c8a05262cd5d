import { createDb } from '../src/db/client';
import type { AppEnv } from '../src/env';
import { createLogger } from '../src/lib/logger';
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
    const queued = await enqueueScheduled(
      { db: handle.db, env },
      { cron: controller.cron, now, ...(only ? { tenantIds: only.tenantIds } : {}) },
    );
    logger.info('cron tick', { scheduledTime: now.toISOString(), queued });
  } finally {
    ctx.waitUntil(handle.close());
  }
}
