// Tenants: one row per customer account (a seller business). Every other tenant-owned table points here.
// Self-contained (no import from ./_columns) to avoid a circular-import TDZ: _columns imports this file.
import { sql } from 'drizzle-orm';
import { bigint, char, check, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const TENANT_PLANS = ['STARTER', 'PRO', 'ENTERPRISE'] as const;
export type TenantPlan = (typeof TENANT_PLANS)[number];
export const TENANT_STATUSES = ['active', 'suspended'] as const;

/** Free-form tenant preferences; validated with zod at the edge. */
export type TenantSettings = Record<string, unknown>;

export const tenants = pgTable(
  'tenants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    plan: text('plan', { enum: TENANT_PLANS }).notNull().default('STARTER'),
    status: text('status', { enum: TENANT_STATUSES }).notNull().default('active'),
    timezone: text('timezone').notNull().default('UTC'),
    currency: char('currency', { length: 3 }).notNull().default('USD'),
    language: text('language').notNull().default('en-US'),
    settings: jsonb('settings').$type<TenantSettings>().notNull().default({}),
    // Bumped by every write that changes what dashboards show; part of every KV cache key, so a
    // bump invalidates all of the tenant's cached views at once (KV has no strongly consistent delete).
    dataVersion: bigint('data_version', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    check('tenants_plan_check', sql`${t.plan} IN ('STARTER', 'PRO', 'ENTERPRISE')`),
    check('tenants_status_check', sql`${t.status} IN ('active', 'suspended')`),
  ],
);

export type Tenant = typeof tenants.$inferSelect;
export type NewTenant = typeof tenants.$inferInsert;
