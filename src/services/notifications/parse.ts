import { z } from 'zod';
import type { SyncTarget } from '../../db/schema';
import { issuesToDetails, ValidationError } from '../../lib/errors';
import type { SyncType } from '../../messages';

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

export type AmazonNotification = z.infer<typeof Notification>;

const JsonObject = z.record(z.string(), z.unknown());

/** The 2020-09-04 camelCase notification under the PascalCase names (validated afterwards). */
const CamelCase = z
  .object({
    notificationVersion: z.unknown().optional(),
    notificationType: z.unknown().optional(),
    payloadVersion: z.unknown().optional(),
    eventTime: z.unknown().optional(),
    payload: z.unknown().optional(),
    notificationMetadata: JsonObject.optional().catch(undefined),
  })
  .transform((o) => ({
    NotificationVersion: o.notificationVersion,
    NotificationType: o.notificationType,
    PayloadVersion: o.payloadVersion,
    EventTime: o.eventTime,
    Payload: o.payload,
    NotificationMetadata: {
      ApplicationId: o.notificationMetadata?.applicationId,
      SubscriptionId: o.notificationMetadata?.subscriptionId,
      PublishTime: o.notificationMetadata?.publishTime,
      NotificationId: o.notificationMetadata?.notificationId,
    },
  }));

/** Accepts the EventBridge API-destination envelope (notification in `detail`) or a bare notification. */
export function parseNotification(raw: unknown): AmazonNotification {
  const outer = JsonObject.catch({}).parse(raw);
  const inner = JsonObject.safeParse(outer.detail).data ?? outer;
  const candidate =
    'notificationType' in inner && !('NotificationType' in inner) ? CamelCase.parse(inner) : inner;
  const parsed = Notification.safeParse(candidate);
  if (!parsed.success)
    throw new ValidationError('Invalid Amazon notification', issuesToDetails(parsed.error.issues, 'body'));
  return parsed.data;
}

/** A payload field we use: a non-empty string under 200 characters, else ignored. */
const field = z.string().min(1).max(199).optional().catch(undefined);
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

const OrderChange = z.object({
  OrderChangeNotification: lenient(z.object({ AmazonOrderId: field, SellerId: field })),
});
const AnyOfferChanged = z.object({
  AnyOfferChangedNotification: lenient(
    z.object({
      SellerId: field,
      OfferChangeTrigger: lenient(z.object({ ASIN: field, MarketplaceId: field })),
    }),
  ),
});
const InventoryChange = z.object({
  SKU: field,
  SellerId: field,
  FulfillmentInventoryByMarketplace: lenient(z.array(z.object({ MarketplaceId: field }).catch({}))),
});

export interface NotificationTarget {
  type: SyncType;
  target: SyncTarget;
  /** The selling partner the payload names, checked against the subscription's. */
  sellerId?: string;
}

const withSeller = (sellerId: string | undefined) => (sellerId ? { sellerId } : {});

/** An ASIN (10 upper-case letters or digits) and a marketplace id; anything else is not trusted. */
const ASIN = /^[0-9A-Z]{10}$/;
const MARKETPLACE_ID = /^[0-9A-Z]{8,20}$/;

/** The selling partner the payload names (a malformed one counts as none). */
export function sellerOf(n: AmazonNotification): string | undefined {
  switch (n.NotificationType) {
    case 'ORDER_CHANGE':
      return OrderChange.parse(n.Payload).OrderChangeNotification?.SellerId;
    case 'ANY_OFFER_CHANGED':
      return AnyOfferChanged.parse(n.Payload).AnyOfferChangedNotification?.SellerId;
    case 'FBA_INVENTORY_AVAILABILITY_CHANGES':
      return InventoryChange.parse(n.Payload).SellerId;
    default:
      return undefined;
  }
}

/**
 * What is kept of a notification: when it happened and was published, whose it is, and the entity
 * the sync re-reads. Never the payload: it carries the buyer's postal code (ORDER_CHANGE) and other
 * sellers' offers, and nothing downstream reads it.
 */
export interface StoredNotification {
  eventTime: string | null;
  publishTime: string | null;
  sellerId: string | null;
  target: SyncTarget | null;
}

export function storedFormOf(n: AmazonNotification, what: NotificationTarget | null): StoredNotification {
  const eventTime = Date.parse(n.EventTime ?? '');
  return {
    eventTime: Number.isNaN(eventTime) ? null : new Date(eventTime).toISOString(),
    publishTime: publishedAt(n)?.toISOString() ?? null,
    sellerId: sellerOf(n) ?? null,
    target: what?.target ?? null,
  };
}

/** When Amazon published the notification; null when absent or not a date. */
export function publishedAt(n: AmazonNotification): Date | null {
  const at = Date.parse(n.NotificationMetadata.PublishTime ?? '');
  return Number.isNaN(at) ? null : new Date(at);
}

/** The one entity a notification is about, and the sync that refreshes it. */
export function targetOf(n: AmazonNotification): NotificationTarget | null {
  switch (n.NotificationType) {
    case 'ORDER_CHANGE': {
      const o = OrderChange.parse(n.Payload).OrderChangeNotification;
      const id = o?.AmazonOrderId;
      if (!id || !/^[0-9A-Z-]{5,40}$/.test(id)) return null;
      return { type: 'orders', target: { amazonOrderId: id }, ...withSeller(o?.SellerId) };
    }
    case 'ANY_OFFER_CHANGED': {
      const o = AnyOfferChanged.parse(n.Payload).AnyOfferChangedNotification;
      const asin = o?.OfferChangeTrigger?.ASIN;
      const marketplaceId = o?.OfferChangeTrigger?.MarketplaceId;
      if (!asin || !marketplaceId || !ASIN.test(asin) || !MARKETPLACE_ID.test(marketplaceId)) return null;
      return { type: 'pricing', target: { asin, marketplaceId }, ...withSeller(o?.SellerId) };
    }
    case 'FBA_INVENTORY_AVAILABILITY_CHANGES': {
      const p = InventoryChange.parse(n.Payload);
      if (!p.SKU) return null;
      const listed = p.FulfillmentInventoryByMarketplace?.[0]?.MarketplaceId;
      const marketplaceId = listed && MARKETPLACE_ID.test(listed) ? listed : undefined;
      return {
        type: 'inventory',
        target: { sku: p.SKU, ...(marketplaceId ? { marketplaceId } : {}) },
        ...withSeller(p.SellerId),
      };
    }
    default:
      return null;
  }
}
