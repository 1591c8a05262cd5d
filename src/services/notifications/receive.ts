import { eq, sql } from 'drizzle-orm';
import { amazonSubscriptions, notificationsReceived, tenants } from '../../db/schema';
import { timingSafeEqual } from '../../lib/crypto';
import { ForbiddenError, UnauthorizedError } from '../../lib/errors';
import type { ServiceContext } from '../context';
import { enqueueSyncs } from '../sync';
import { parseNotification, targetOf } from './parse';

export interface ReceiveInput {
  /** The x-api-key header. */
  apiKey: string | undefined;
  body: unknown;
}

export interface ReceiveResult {
  /** `skipped`: the tenant is not active (suspended), so nothing is stored or synced. */
  status: 'queued' | 'duplicate' | 'stored' | 'skipped';
  notificationId: string;
  jobId: string | null;
}

/**
 * POST /api/webhooks/amazon. Amazon does not sign notifications: the shared API key is compared in
 * constant time, the application and subscription ids must be ours, and the payload is only a hint
 * (the targeted sync re-reads the facts from SP-API). The insert on the unique NotificationId, the
 * job and the queue message happen in one transaction, so a re-delivery never queues twice and an
 * acknowledged notification is never lost.
 */
export async function receiveNotification(
  ctx: Pick<ServiceContext, 'db' | 'env' | 'logger'>,
  input: ReceiveInput,
): Promise<ReceiveResult> {
  const { env, db } = ctx;
  if (!input.apiKey || !timingSafeEqual(input.apiKey, env.NOTIFICATIONS_API_KEY))
    throw new UnauthorizedError('Invalid notification API key');
  const n = parseNotification(input.body);
  const meta = n.NotificationMetadata;
  if (!timingSafeEqual(meta.ApplicationId, env.AMAZON_APPLICATION_ID))
    throw new ForbiddenError('Notification is for another application');
  const [sub] = await db
    .select({
      tenantId: amazonSubscriptions.tenantId,
      sellingPartnerId: amazonSubscriptions.sellingPartnerId,
      tenantStatus: tenants.status,
    })
    .from(amazonSubscriptions)
    .innerJoin(tenants, eq(tenants.id, amazonSubscriptions.tenantId))
    .where(eq(amazonSubscriptions.subscriptionId, meta.SubscriptionId))
    .limit(1);
  if (!sub) throw new ForbiddenError('Unknown notification subscription');
  const what = targetOf(n);
  if (what?.sellerId && what.sellerId !== sub.sellingPartnerId)
    throw new ForbiddenError('Notification seller does not match its subscription');
  const notificationId = meta.NotificationId;
  if (sub.tenantStatus !== 'active') {
    // Acknowledged (Amazon stops re-delivering) but neither stored nor synced.
    ctx.logger.info('notification skipped: tenant not active', {
      tenantId: sub.tenantId,
      tenantStatus: sub.tenantStatus,
      notificationType: n.NotificationType,
    });
    return { status: 'skipped', notificationId, jobId: null };
  }
  return db.transaction(async (tx): Promise<ReceiveResult> => {
    const [stored] = await tx
      .insert(notificationsReceived)
      .values({ notificationId, tenantId: sub.tenantId, notificationType: n.NotificationType, payload: n })
      .onConflictDoNothing({ target: notificationsReceived.notificationId })
      .returning({ id: notificationsReceived.id });
    if (!stored) return { status: 'duplicate', notificationId, jobId: null };
    if (!what) return { status: 'stored', notificationId, jobId: null };
    const [job] = await enqueueSyncs(
      ctx,
      [
        {
          tenantId: sub.tenantId,
          type: what.type,
          trigger: 'notification',
          priority: 'high',
          target: what.target,
        },
      ],
      tx,
    );
    const jobId = job?.id ?? null;
    await tx
      .update(notificationsReceived)
      .set({ syncJobId: jobId, processedAt: sql`now()` })
      .where(eq(notificationsReceived.id, stored.id));
    return { status: 'queued', notificationId, jobId };
  });
}
