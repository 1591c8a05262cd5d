import { and, inArray, lt, sql } from 'drizzle-orm';
import { notificationsReceived } from '../../db/schema';
import type { ServiceContext } from '../context';

/** Notifications are kept this long after they arrive (Amazon's Data Protection Policy: 30 days). */
export const NOTIFICATION_RETENTION_DAYS = 30;

/** Rows deleted per statement, so one sweep never holds a long lock. */
const PURGE_BATCH = 5000;

export interface PurgeInput {
  /** Only these tenants' rows (a test's own); every tenant's when absent. */
  tenantIds?: string[];
}

/**
 * Deletes every notification received more than 30 days ago, in batches. Run by the daily cron;
 * returns how many rows went.
 */
export async function purgeExpiredNotifications(
  ctx: Pick<ServiceContext, 'db'>,
  input: PurgeInput = {},
): Promise<number> {
  if (input.tenantIds?.length === 0) return 0;
  const expired = and(
    lt(
      notificationsReceived.receivedAt,
      sql`now() - (${NOTIFICATION_RETENTION_DAYS})::int * interval '1 day'`,
    ),
    ...(input.tenantIds ? [inArray(notificationsReceived.tenantId, input.tenantIds)] : []),
  );
  let purged = 0;
  for (;;) {
    const batch = ctx.db
      .select({ id: notificationsReceived.id })
      .from(notificationsReceived)
      .where(expired)
      .limit(PURGE_BATCH);
    const rows = await ctx.db
      .delete(notificationsReceived)
      .where(inArray(notificationsReceived.id, batch))
      .returning({ id: notificationsReceived.id });
    purged += rows.length;
    if (rows.length < PURGE_BATCH) return purged;
  }
}
