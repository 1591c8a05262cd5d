// Alerts raised by rule evaluation after syncs, and each tenant's alert settings.
import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, oneOf, tenantId, tstz, updatedAt } from './_columns';
import { users } from './auth';

/** Known types; the column is open text so new rule types need no migration. */
export const ALERT_TYPES = [
  'STOCK_LOW',
  'STOCK_OUT',
  'BUYBOX_LOST',
  'PRICE_CHANGE',
  'SYNC_FAILED',
  'CREDENTIALS_INVALID',
  'ACOS_HIGH',
] as const;
export const ALERT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const ALERT_STATUSES = ['active', 'acknowledged', 'resolved'] as const;

export const alerts = pgTable(
  'alerts',
  {
    id: id(),
    tenantId: tenantId(),
    type: text('type').notNull(),
    severity: text('severity', { enum: ALERT_SEVERITIES }).notNull(),
    status: text('status', { enum: ALERT_STATUSES }).notNull().default('active'),
    title: text('title').notNull(),
    message: text('message'),
    asin: text('asin'),
    marketplaceId: text('marketplace_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    // e.g. 'STOCK_LOW:B0XXXX:ATVPDKIKX0DER'; re-evaluating a rule must not open a second alert.
    dedupeKey: text('dedupe_key'),
    isRead: boolean('is_read').notNull().default(false),
    acknowledgedBy: uuid('acknowledged_by').references(() => users.id, { onDelete: 'set null' }),
    acknowledgedAt: tstz('acknowledged_at'),
    resolvedAt: tstz('resolved_at'),
    resolution: text('resolution'),
    notes: text('notes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('idx_alerts_tenant_status').on(t.tenantId, t.status, t.createdAt.desc()),
    // At most one active alert per condition; insert ... on conflict do nothing/update.
    uniqueIndex('alerts_tenant_dedupe_active_uq').on(t.tenantId, t.dedupeKey).where(sql`status = 'active'`),
    oneOf('alerts_severity_check', t.severity, ALERT_SEVERITIES),
    oneOf('alerts_status_check', t.status, ALERT_STATUSES),
  ],
);

export const alertSettings = pgTable('alert_settings', {
  id: id(),
  // One settings row per tenant (the unique key doubles as the tenant index).
  tenantId: tenantId().unique('alert_settings_tenant_uq'),
  rules: jsonb('rules').$type<unknown[]>().notNull().default([]),
  channels: jsonb('channels').$type<Record<string, unknown>>().notNull().default({}),
  schedule: jsonb('schedule').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export type Alert = typeof alerts.$inferSelect;
export type NewAlert = typeof alerts.$inferInsert;
export type AlertSettings = typeof alertSettings.$inferSelect;
