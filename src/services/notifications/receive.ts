import { eq, sql } from 'drizzle-orm';
import { amazonSubscriptions, notificationsReceived, tenants } from '../../db/schema';
import type { AppEnv } from '../../env';
import { timingSafeEqual } from '../../lib/crypto';
import { ForbiddenError, UnauthorizedError, ValidationError } from '../../lib/errors';
import type { ServiceContext } from '../context';
import { enqueueSyncs } from '../sync';
import {
  type AmazonNotification,
  parseNotification,
  publishedAt,
  sellerOf,
  storedFormOf,
  targetOf,
} from './parse';

/**
 * How old a notification may be. EventBridge retries a failed delivery for at most 24 hours (its
 * longest maximum event age), after Amazon published it; the extra hour covers Amazon's delay in
 * putting it on the bus and clock skew. Anything older is a replay, never a delivery.
 */
export const MAX_NOTIFICATION_AGE_MS = 25 * 3_600_000;
/** Clock skew allowed for a PublishTime in the future. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export interface ReceiveInput {
  body: unknown;
}

export interface ReceiveResult {
  /** `skipped`: the tenant is not active (suspended), so nothing is stored or synced. */
  status: 'queued' | 'duplicate' | 'stored' | 'skipped';
  notificationId: string;
  jobId: string | null;
}

/**
 * The x-api-key check, in constant time: the route runs it before it reads the body, so a caller
 * without the key never gets its body read or parsed.
 */
export function checkNotificationKey(env: Pick<AppEnv, 'NOTIFICATIONS_API_KEY'>, apiKey: string | undefined) {
  if (!apiKey || !timingSafeEqual(apiKey, env.NOTIFICATIONS_API_KEY))
    throw new UnauthorizedError('Invalid notification API key');
}

/** Refuses a notification Amazon published more than MAX_NOTIFICATION_AGE_MS ago (or in the future). */
function checkFresh(n: AmazonNotification, now = Date.now()): void {
  const at = publishedAt(n);
  const field = 'body.NotificationMetadata.PublishTime';
  if (!at)
    throw new ValidationError('Notification has no PublishTime', [
      { field, message: 'required ISO 8601 date-time', code: 'invalid_type' },
    ]);
  if (now - at.getTime() > MAX_NOTIFICATION_AGE_MS || at.getTime() - now > MAX_CLOCK_SKEW_MS)
    throw new ValidationError('Notification is outside the delivery window', [
      { field, message: 'published more than 25 hours ago, or in the future', code: 'too_old' },
    ]);
}

/** The subscription the notification names, if it is ours, of its type, for the seller it names. */
async function subscriptionOf(ctx: Pick<ServiceContext, 'db'>, n: AmazonNotification) {
  const [sub] = await ctx.db
    .select({
      tenantId: amazonSubscriptions.tenantId,
      sellingPartnerId: amazonSubscriptions.sellingPartnerId,
      notificationType: amazonSubscriptions.notificationType,
      tenantStatus: tenants.status,
    })
    .from(amazonSubscriptions)
    .innerJoin(tenants, eq(tenants.id, amazonSubscriptions.tenantId))
    .where(eq(amazonSubscriptions.subscriptionId, n.NotificationMetadata.SubscriptionId))
    .limit(1);
  if (!sub) throw new ForbiddenError('Unknown notification subscription');
  if (sub.notificationType !== n.NotificationType)
    throw new ForbiddenError('Notification type does not match its subscription');
  if (sellerOf(n) !== sub.sellingPartnerId)
    throw new ForbiddenError('Notification seller does not match its subscription');
  return sub;
}

/**
 * POST /api/webhooks/amazon, once the route has checked the API key. Amazon does not sign
 * notifications: the application id, the subscription (and its type and seller) must be ours, the
 * notification must be fresh, and the payload is only a hint (the targeted sync re-reads the facts
 * from SP-API). The insert on the unique NotificationId, the job and the queue message happen in
 * one transaction, so a re-delivery never queues twice and an acknowledged notification is never
 * lost.
 */
export async function receiveNotification(
  ctx: Pick<ServiceContext, 'db' | 'env' | 'logger'>,
  input: ReceiveInput,
): Promise<ReceiveResult> {
  const n = parseNotification(input.body);
  const notificationId = n.NotificationMetadata.NotificationId;
  if (!timingSafeEqual(n.NotificationMetadata.ApplicationId, ctx.env.AMAZON_APPLICATION_ID))
    throw new ForbiddenError('Notification is for another application');
  checkFresh(n);
  const sub = await subscriptionOf(ctx, n);
  if (sub.tenantStatus !== 'active') {
    // Acknowledged (Amazon stops re-delivering) but neither stored nor synced.
    ctx.logger.info('notification skipped: tenant not active', {
      tenantId: sub.tenantId,
      tenantStatus: sub.tenantStatus,
      notificationType: n.NotificationType,
    });
    return { status: 'skipped', notificationId, jobId: null };
  }
  const what = targetOf(n);
  return ctx.db.transaction(async (tx): Promise<ReceiveResult> => {
    const [stored] = await tx
      .insert(notificationsReceived)
      .values({
        notificationId,
        tenantId: sub.tenantId,
        notificationType: n.NotificationType,
        // Minimised: no payload, so no buyer data (see storedFormOf); deleted after 30 days.
        payload: storedFormOf(n, what),
      })
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
