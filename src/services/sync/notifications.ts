import { z } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { amazonSubscriptions, notificationsReceived, type SyncTarget, syncJobs } from '../../db/schema';
import type { AppEnv } from '../../env';
import { timingSafeEqual } from '../../lib/crypto';
import { ForbiddenError, issuesToDetails, UnauthorizedError, ValidationError } from '../../lib/errors';
import { messageFor } from './enqueue';
import type { SyncType } from './jobs';

const Metadata = z.object({
  ApplicationId: z.string().min(1),
  SubscriptionId: z.string().min(1),
  PublishTime: z.string().optional(),
  NotificationId: z.string().min(1).max(200),
});

/** SP-API notification (PascalCase schemas; the 2020-09-04 camelCase ones are normalised first). */
const Notification = z.object({
  NotificationVersion: z.string().optional(),
  NotificationType: z.string().min(1).max(100),
  PayloadVersion: z.string().optional(),
  EventTime: z.string().optional(),
  Payload: z.record(z.string(), z.unknown()),
  NotificationMetadata: Metadata,
});

type NotificationBody = z.infer<typeof Notification>;

const camelToPascal = (o: Record<string, unknown>): Record<string, unknown> => {
  const meta = (o.notificationMetadata ?? {}) as Record<string, unknown>;
  return {
    NotificationVersion: o.notificationVersion,
    NotificationType: o.notificationType,
    PayloadVersion: o.payloadVersion,
    EventTime: o.eventTime,
    Payload: o.payload,
    NotificationMetadata: {
      ApplicationId: meta.applicationId,
      SubscriptionId: meta.subscriptionId,
      PublishTime: meta.publishTime,
      NotificationId: meta.notificationId,
    },
  };
};

/** Accepts the EventBridge API-destination envelope (notification in `detail`) or a bare notification. */
export function parseNotification(raw: unknown): NotificationBody {
  const outer = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const inner = (outer.detail && typeof outer.detail === 'object' ? outer.detail : outer) as Record<
    string,
    unknown
  >;
  const candidate =
    'notificationType' in inner && !('NotificationType' in inner) ? camelToPascal(inner) : inner;
  const parsed = Notification.safeParse(candidate);
  if (!parsed.success)
    throw new ValidationError('Invalid Amazon notification', issuesToDetails(parsed.error.issues, 'body'));
  return parsed.data;
}

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length < 200 ? v : undefined);

/** The one entity a notification is about, and the sync that refreshes it. */
export function targetOf(
  n: NotificationBody,
): { type: SyncType; target: SyncTarget; sellerId?: string } | null {
  const p = n.Payload as Record<string, Record<string, unknown> | undefined>;
  switch (n.NotificationType) {
    case 'ORDER_CHANGE': {
      const o = p.OrderChangeNotification ?? {};
      const id = str(o.AmazonOrderId);
      if (!id || !/^[0-9A-Z-]{5,40}$/.test(id)) return null;
      return {
        type: 'orders',
        target: { amazonOrderId: id },
        ...(str(o.SellerId) ? { sellerId: str(o.SellerId) } : {}),
      };
    }
    case 'ANY_OFFER_CHANGED': {
      const o = p.AnyOfferChangedNotification ?? {};
      const trigger = (o.OfferChangeTrigger ?? {}) as Record<string, unknown>;
      const asin = str(trigger.ASIN);
      const marketplaceId = str(trigger.MarketplaceId);
      if (!asin || !marketplaceId) return null;
      return {
        type: 'pricing',
        target: { asin, marketplaceId },
        ...(str(o.SellerId) ? { sellerId: str(o.SellerId) } : {}),
      };
    }
    case 'FBA_INVENTORY_AVAILABILITY_CHANGES': {
      const sku = str((p as Record<string, unknown>).SKU);
      const byMarket = (p as Record<string, unknown>).FulfillmentInventoryByMarketplace as
        | { MarketplaceId?: string }[]
        | undefined;
      if (!sku) return null;
      const marketplaceId = str(byMarket?.[0]?.MarketplaceId);
      const seller = str((p as Record<string, unknown>).SellerId);
      return {
        type: 'inventory',
        target: { sku, ...(marketplaceId ? { marketplaceId } : {}) },
        ...(seller ? { sellerId: seller } : {}),
      };
    }
    default:
      return null;
  }
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
  deps: { env: AppEnv; db: Database },
  apiKey: string | undefined,
  raw: unknown,
): Promise<ReceiveResult> {
  const { env, db } = deps;
  if (!apiKey || !timingSafeEqual(apiKey, env.NOTIFICATIONS_API_KEY))
    throw new UnauthorizedError('Invalid notification API key');
  const n = parseNotification(raw);
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
  return db.transaction(async (tx) => {
    const [stored] = await tx
      .insert(notificationsReceived)
      .values({
        notificationId: meta.NotificationId,
        tenantId: sub.tenantId,
        notificationType: n.NotificationType,
        payload: n,
      })
      .onConflictDoNothing({ target: notificationsReceived.notificationId })
      .returning({ id: notificationsReceived.id });
    if (!stored) return { status: 'duplicate' as const, notificationId: meta.NotificationId, jobId: null };
    if (!what) return { status: 'stored' as const, notificationId: meta.NotificationId, jobId: null };
    const [job] = await tx
      .insert(syncJobs)
      .values({
        tenantId: sub.tenantId,
        type: what.type,
        trigger: 'notification',
        priority: 'high',
        target: what.target,
      })
      .returning();
    await tx
      .update(notificationsReceived)
      .set({ syncJobId: job!.id, processedAt: sql`now()` })
      .where(eq(notificationsReceived.id, stored.id));
    await env.SYNC_QUEUE.send(messageFor(job!), { contentType: 'json' });
    return { status: 'queued' as const, notificationId: meta.NotificationId, jobId: job!.id };
  });
}
