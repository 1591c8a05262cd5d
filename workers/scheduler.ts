import { createDb } from '../src/db/client';
import type { AppEnv } from '../src/env';
import { createLogger } from '../src/lib/logger';
import { reencryptCredentials } from '../src/services/amazon-account/key-rotation';
import { purgeIdleThrottles } from '../src/services/auth/throttle';
import { purgeExpiredNotifications } from '../src/services/notifications/retention';
import { recoverAbandonedJobs } from '../src/services/sync/engine/recover';
import { enqueueScheduled } from '../src/services/sync/schedule';

/** The daily trigger in wrangler.toml (02:00 UTC) also runs the maintenance sweeps. */
const MAINTENANCE_CRON = '0 2 * * *';

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
    const tenantFilter = only ? { tenantIds: only.tenantIds } : {};
    // Dead and lost jobs first: once re-sent they are live again and the schedule skips their type.
    const recovered = await recoverAbandonedJobs({ db: handle.db, env }, tenantFilter);
    const scheduled = await enqueueScheduled(
      { db: handle.db, env },
      { cron: controller.cron, now, ...tenantFilter },
    );
    // Suspended tenants are never scheduled; the count says why they got nothing.
    logger.info('cron tick', { scheduledTime: now.toISOString(), ...scheduled, ...recovered });
    if (controller.cron === MAINTENANCE_CRON) {
      // Key rotation: moves stored secrets to the newest key; login counters idle for days go;
      // notifications older than 30 days go.
      const rotation = await reencryptCredentials({ db: handle.db, env, logger }, tenantFilter);
      const purgedThrottles = await purgeIdleThrottles(handle.db);
      const purgedNotifications = await purgeExpiredNotifications({ db: handle.db }, tenantFilter);
      logger.info('daily maintenance', { ...rotation, purgedThrottles, purgedNotifications });
    }
  } finally {
    ctx.waitUntil(handle.close());
  }
}
