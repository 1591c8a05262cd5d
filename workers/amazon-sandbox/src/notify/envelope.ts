export type NotificationType =
  | 'ORDER_CHANGE'
  | 'ANY_OFFER_CHANGED'
  | 'FBA_INVENTORY_AVAILABILITY_CHANGES'
  | 'REPORT_PROCESSING_FINISHED';

export const NOTIFICATION_TYPES: readonly NotificationType[] = [
  'ORDER_CHANGE',
  'ANY_OFFER_CHANGED',
  'FBA_INVENTORY_AVAILABILITY_CHANGES',
  'REPORT_PROCESSING_FINISHED',
];

// The older notification schemas are PascalCase; REPORT_PROCESSING_FINISHED (2020-09-04) is camelCase.
const CAMEL_CASE = new Set<NotificationType>(['REPORT_PROCESSING_FINISHED']);

export interface NotificationMeta {
  applicationId: string;
  subscriptionId: string;
  notificationId: string;
  eventMs: number;
  publishMs: number;
}

/** The SP-API notification body, exactly as the official schema of its type names the fields. */
export function notificationBody(
  type: NotificationType,
  payload: Record<string, unknown>,
  meta: NotificationMeta,
): Record<string, unknown> {
  if (CAMEL_CASE.has(type)) {
    return {
      notificationVersion: '2020-09-04',
      notificationType: type,
      payloadVersion: '2020-09-04',
      eventTime: new Date(meta.eventMs).toISOString(),
      payload,
      notificationMetadata: {
        applicationId: meta.applicationId,
        subscriptionId: meta.subscriptionId,
        publishTime: new Date(meta.publishMs).toISOString(),
        notificationId: meta.notificationId,
      },
    };
  }
  return {
    NotificationVersion: '1.0',
    NotificationType: type,
    PayloadVersion: '1.0',
    EventTime: new Date(meta.eventMs).toISOString(),
    Payload: payload,
    NotificationMetadata: {
      ApplicationId: meta.applicationId,
      SubscriptionId: meta.subscriptionId,
      PublishTime: new Date(meta.publishMs).toISOString(),
      NotificationId: meta.notificationId,
    },
  };
}

/** What an EventBridge API destination POSTs: the EventBridge event with the notification as `detail`. */
export function eventBridgeEvent(
  type: NotificationType,
  detail: Record<string, unknown>,
  opts: { accountId: string; region: string; applicationId: string; eventMs: number },
): Record<string, unknown> {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': type,
    source: `aws.partner/sellingpartnerapi.amazon/${opts.applicationId}`,
    account: opts.accountId,
    time: new Date(opts.eventMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: opts.region,
    resources: [],
    detail,
  };
}
