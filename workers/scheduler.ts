import type { AppEnv } from '../src/env';
import { createLogger } from '../src/lib/logger';

/** Cron only enqueues idempotent work: Cron Triggers run in UTC with no exactly-once promise. */
export async function handleScheduled(
  controller: ScheduledController,
  env: AppEnv,
  ctx: ExecutionContext,
): Promise<void> {
  const logger = createLogger(env.LOG_LEVEL, { cron: controller.cron });
  logger.info('cron tick', { scheduledTime: new Date(controller.scheduledTime).toISOString() });
  void ctx;
}
