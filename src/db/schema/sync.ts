// Sync bookkeeping: jobs, incremental watermarks, and Amazon notifications received.
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, oneOf, tenantId, tstz, updatedAt } from './_columns';

export const SYNC_TYPES = ['orders', 'inventory', 'pricing', 'finance', 'ads'] as const;
export const SYNC_TRIGGERS = ['manual', 'schedule', 'notification', 'connect'] as const;
export const SYNC_PRIORITIES = ['low', 'normal', 'high'] as const;
export const SYNC_STATUSES = ['queued', 'processing', 'success', 'partial', 'failed'] as const;

/** What a targeted sync is about (one order, ASIN or SKU), or nothing for a full/range sync. */
export type SyncTarget = {
  amazonOrderId?: string;
  asin?: string;
  sku?: string;
  marketplaceId?: string;
  [k: string]: unknown;
};

export const syncJobs = pgTable(
  'sync_jobs',
  {
    id: id(),
    tenantId: tenantId(),
    type: text('type', { enum: SYNC_TYPES }).notNull(),
    trigger: text('trigger', { enum: SYNC_TRIGGERS }).notNull(),
    priority: text('priority', { enum: SYNC_PRIORITIES }).notNull().default('normal'),
    status: text('status', { enum: SYNC_STATUSES }).notNull().default('queued'),
    rangeStart: tstz('range_start'),
    rangeEnd: tstz('range_end'),
    target: jsonb('target').$type<SyncTarget>(),
    progress: integer('progress').notNull().default(0),
    recordsProcessed: integer('records_processed').notNull().default(0),
    errorCount: integer('error_count').notNull().default(0),
    errorMessage: text('error_message'),
    attempts: integer('attempts').notNull().default(0),
    /**
     * Until when the job is spoken for. Processing: the claiming attempt holds it (renewed while it
     * runs). Queued: its queue message is expected by then. Past it, the job is abandoned and may be
     * taken over by a redelivered message or re-enqueued by the cron.
     */
    leaseExpiresAt: tstz('lease_expires_at').notNull().default(sql`now() + interval '15 minutes'`),
    queuedAt: tstz('queued_at').notNull().defaultNow(),
    startedAt: tstz('started_at'),
    finishedAt: tstz('finished_at'),
    durationMs: integer('duration_ms'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('sync_jobs_tenant_queued_idx').on(t.tenantId, t.queuedAt.desc()),
    index('sync_jobs_tenant_status_idx').on(t.tenantId, t.status),
    // The cron's sweep for abandoned jobs reads open jobs by lease across tenants.
    index('sync_jobs_open_lease_idx')
      .on(t.leaseExpiresAt)
      .where(sql`${t.status} IN ('queued', 'processing')`),
    oneOf('sync_jobs_type_check', t.type, SYNC_TYPES),
    oneOf('sync_jobs_trigger_check', t.trigger, SYNC_TRIGGERS),
    oneOf('sync_jobs_priority_check', t.priority, SYNC_PRIORITIES),
    oneOf('sync_jobs_status_check', t.status, SYNC_STATUSES),
    check('sync_jobs_progress_check', sql`${t.progress} BETWEEN 0 AND 100`),
  ],
);

/**
 * Incremental watermark per sync type (e.g. orders' LastUpdatedAfter). `cursor_at` is the time
 * watermark; `cursor` holds an opaque token when the API pages by token instead.
 */
export const syncCursors = pgTable(
  'sync_cursors',
  {
    id: id(),
    tenantId: tenantId(),
    type: text('type', { enum: SYNC_TYPES }).notNull(),
    cursorAt: tstz('cursor_at'),
    cursor: text('cursor'),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('sync_cursors_tenant_type_uq').on(t.tenantId, t.type),
    oneOf('sync_cursors_type_check', t.type, SYNC_TYPES),
  ],
);

/** Amazon delivers at least once: the global unique NotificationId makes re-deliveries no-ops. */
export const notificationsReceived = pgTable(
  'notifications_received',
  {
    id: id(),
    notificationId: text('notification_id').notNull().unique('notifications_received_notification_id_uq'),
    // Resolved from the payload's selling partner id before insert.
    tenantId: tenantId(),
    notificationType: text('notification_type').notNull(),
    payload: jsonb('payload').notNull(),
    receivedAt: tstz('received_at').notNull().defaultNow(),
    processedAt: tstz('processed_at'),
    syncJobId: uuid('sync_job_id').references(() => syncJobs.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('notifications_received_tenant_received_idx').on(t.tenantId, t.receivedAt.desc()),
    // The retention sweep deletes by age across tenants.
    index('notifications_received_received_idx').on(t.receivedAt),
  ],
);

export type SyncJob = typeof syncJobs.$inferSelect;
export type NewSyncJob = typeof syncJobs.$inferInsert;
export type SyncCursor = typeof syncCursors.$inferSelect;
export type NotificationReceived = typeof notificationsReceived.$inferSelect;

/**
 * SP-API notification subscriptions created for a tenant's seller; the webhook accepts a
 * notification only when its SubscriptionId is one of these.
 */
export const amazonSubscriptions = pgTable(
  'amazon_subscriptions',
  {
    id: id(),
    tenantId: tenantId(),
    sellingPartnerId: text('selling_partner_id').notNull(),
    notificationType: text('notification_type').notNull(),
    subscriptionId: text('subscription_id').notNull(),
    destinationId: text('destination_id').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('amazon_subscriptions_tenant_type_uq').on(t.tenantId, t.notificationType),
    index('amazon_subscriptions_subscription_idx').on(t.subscriptionId),
  ],
);

export type AmazonSubscription = typeof amazonSubscriptions.$inferSelect;
