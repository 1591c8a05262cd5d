// Operational tables: audit trail, export files, and the outgoing mail queue.
import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, oneOf, tenantId, tstz } from './_columns';
import { users } from './auth';
import { tenants } from './tenants';

export const activityLog = pgTable(
  'activity_log',
  {
    id: id(),
    tenantId: tenantId(),
    // Null for system actions (syncs, cron); kept when the user is deleted.
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    entityType: text('entity_type'),
    entityId: text('entity_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('activity_log_tenant_created_idx').on(t.tenantId, t.createdAt.desc())],
);

export const EXPORT_FORMATS = ['csv', 'xlsx', 'json'] as const;
export const EXPORT_STATUSES = ['queued', 'processing', 'ready', 'failed', 'expired'] as const;

// Named exportJobs in TS: `exports` collides with CommonJS's `exports` when drizzle-kit loads this file.
export const exportJobs = pgTable(
  'exports',
  {
    id: id(),
    tenantId: tenantId(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    // What is exported, e.g. 'orders', 'finance_transactions', 'products'.
    kind: text('kind').notNull(),
    format: text('format', { enum: EXPORT_FORMATS }).notNull(),
    status: text('status', { enum: EXPORT_STATUSES }).notNull().default('queued'),
    params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
    r2Key: text('r2_key'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    rowCount: integer('row_count'),
    expiresAt: tstz('expires_at'),
    error: text('error'),
    createdAt: createdAt(),
    completedAt: tstz('completed_at'),
  },
  (t) => [
    index('exports_tenant_created_idx').on(t.tenantId, t.createdAt.desc()),
    // The cleanup sweep finds expired files without scanning every tenant.
    index('exports_expires_idx').on(t.expiresAt).where(sql`status = 'ready'`),
    oneOf('exports_format_check', t.format, EXPORT_FORMATS),
    oneOf('exports_status_check', t.status, EXPORT_STATUSES),
  ],
);

export const EMAIL_STATUSES = ['pending', 'sent', 'failed'] as const;

/** Mail is written here in the same transaction as the change that causes it, then sent. */
export const emailOutbox = pgTable(
  'email_outbox',
  {
    id: id(),
    // Nullable: some mail (e.g. system notices) belongs to no tenant.
    tenantId: uuid('tenant_id').references(() => tenants.id, { onDelete: 'cascade' }),
    toAddress: text('to_address').notNull(),
    template: text('template').notNull(),
    subject: text('subject'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status', { enum: EMAIL_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: tstz('sent_at'),
  },
  (t) => [
    index('email_outbox_tenant_created_idx').on(t.tenantId, t.createdAt.desc()),
    index('email_outbox_pending_idx').on(t.createdAt).where(sql`status = 'pending'`),
    oneOf('email_outbox_status_check', t.status, EMAIL_STATUSES),
  ],
);

export type ActivityLogEntry = typeof activityLog.$inferSelect;
export type NewActivityLogEntry = typeof activityLog.$inferInsert;
export type ExportJob = typeof exportJobs.$inferSelect;
export type NewExportJob = typeof exportJobs.$inferInsert;
export type EmailOutbox = typeof emailOutbox.$inferSelect;
