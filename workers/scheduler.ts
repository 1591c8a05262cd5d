import { createDb } from '../src/db/client';
import type { AppEnv } from '../src/env';
import { createLogger } from '../src/lib/logger';
import { reencryptCredentials } from '../src/services/amazon-account/key-rotation';
import { purgeIdleThrottles } from '../src/services/auth/throttle';
import { DAILY, enqueueScheduled } from '../src/services/sync/schedule';

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
    if (controller.cron === DAILY) {
      // Key rotation: moves stored secrets to the newest key; login counters idle for days go.
      const rotation = await reencryptCredentials({ db: handle.db, env, logger });
      const purgedThrottles = await purgeIdleThrottles(handle.db);
      logger.info('daily maintenance', { ...rotation, purgedThrottles });
    }
  } finally {
    ctx.waitUntil(handle.close());
  }
}
