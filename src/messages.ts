import type { SYNC_PRIORITIES, SYNC_TYPES, SyncTarget } from './db/schema/sync';

// Queue message contracts. Consumers must be idempotent: Queues deliver at least once, unordered.

/** Sync types and priorities come from the `sync_jobs` schema, the one list of them. */
export type SyncType = (typeof SYNC_TYPES)[number];
export type SyncPriority = (typeof SYNC_PRIORITIES)[number];

/** On SYNC_QUEUE: run one `sync_jobs` row. The row is the source of truth; the rest is a copy. */
export interface SyncMessage {
  kind: 'sync';
  jobId: string;
  tenantId: string;
  type: SyncType;
  priority: SyncPriority;
  range?: { start: string; end: string };
  /** Narrow a sync to one entity (notification-driven work). */
  target?: SyncTarget;
}

/** Sent to SYNC_QUEUE by the health check to prove the queue accepts messages; acked unread. */
export interface HealthMessage {
  kind: 'health';
  sentAt: string;
}

/**
 * The contract for EXPORT_QUEUE. Exports are not built yet: nothing produces this message, and
 * the queue router only logs and acks what arrives on the export queues.
 */
export interface ExportMessage {
  kind: 'export';
  exportId: string;
  tenantId: string;
}

export type QueueMessage = SyncMessage | HealthMessage | ExportMessage;
