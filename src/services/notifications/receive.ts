import { eq, sql } from 'drizzle-orm';
import { amazonSubscriptions, notificationsReceived } from '../../db/schema';
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
  status: 'queued' | 'duplicate' | 'stored';
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
  ctx: Pick<ServiceContext, 'db' | 'env'>,
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
    .select()
    .from(amazonSubscriptions)
    .where(eq(amazonSubscriptions.subscriptionId, meta.SubscriptionId))
    .limit(1);
  if (!sub) throw new ForbiddenError('Unknown notification subscription');
  const what = targetOf(n);
  if (what?.sellerId && what.sellerId !== sub.sellingPartnerId)
    throw new ForbiddenError('Notification seller does not match its subscription');
  const notificationId = meta.NotificationId;
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
