import { createDb } from '../src/db/client';
import type { AppEnv } from '../src/env';
import { createLogger } from '../src/lib/logger';
import { enqueueScheduled } from '../src/services/sync/schedule';

/** Cron only enqueues idempotent work: Cron Triggers run in UTC with no exactly-once promise. */
export async function handleScheduled(
  controller: ScheduledController,
  env: AppEnv,
  ctx: ExecutionContext,
): Promise<void> {
  const logger = createLogger(env.LOG_LEVEL, { cron: controller.cron });
  const handle = createDb(env);
  try {
    const queued = await enqueueScheduled(
      env,
      handle.db,
      controller.cron,
      new Date(controller.scheduledTime),
    );
    logger.info('cron tick', { scheduledTime: new Date(controller.scheduledTime).toISOString(), queued });
  } finally {
    ctx.waitUntil(handle.close());
  }
}
