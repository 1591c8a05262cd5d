/** Messages on SYNC_QUEUE. Consumers must be idempotent: Queues deliver at least once, unordered. */
export type SyncType = 'orders' | 'inventory' | 'pricing' | 'finance' | 'ads';
export type SyncPriority = 'low' | 'normal' | 'high';

export interface SyncMessage {
  kind: 'sync';
  jobId: string;
  tenantId: string;
  type: SyncType;
  priority: SyncPriority;
  range?: { start: string; end: string };
  /** Narrow a sync to one entity (notification-driven work). */
  target?: { amazonOrderId?: string; asin?: string; sku?: string; marketplaceId?: string };
}

/** Sent by the health check to prove the queue accepts messages; dropped by the consumer. */
export interface HealthMessage {
  kind: 'health';
  sentAt: string;
}

export interface ExportMessage {
  kind: 'export';
  exportId: string;
  tenantId: string;
}

export type QueueMessage = SyncMessage | HealthMessage | ExportMessage;
