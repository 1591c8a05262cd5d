// Money movements posted by Amazon, settlements, and exchange rates for optional conversion.
import { sql } from 'drizzle-orm';
import { char, date, index, numeric, pgTable, primaryKey, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, currency, id, money, oneOf, tenantId, tstz, unitMoney } from './_columns';

export const FINANCE_SOURCES = ['events_v0', 'transactions', 'settlement'] as const;
export const FINANCE_CATEGORIES = [
  'revenue',
  'fee',
  'refund',
  'advertising',
  'shipping',
  'promotion',
  'tax',
  'other',
] as const;

/**
 * One signed amount per row (credits positive, debits negative). event_type is Amazon's event group
 * (Shipment, Refund, ServiceFee, Adjustment, ...); fee_type the charge/fee name (Commission,
 * FBAPerUnitFulfillmentFee, FBAStorageFee, ...); category our P&L bucket.
 */
export const financeEvents = pgTable(
  'finance_events',
  {
    id: id(),
    tenantId: tenantId(),
    // Deterministic key derived by the sync from the source line, so re-reading a period is a no-op.
    eventId: text('event_id').notNull(),
    source: text('source', { enum: FINANCE_SOURCES }).notNull(),
    eventType: text('event_type').notNull(),
    amazonOrderId: text('amazon_order_id'),
    asin: text('asin'),
    sku: text('sku'),
    marketplaceId: text('marketplace_id'),
    postedDate: tstz('posted_date').notNull(),
    amount: unitMoney('amount').notNull(),
    currency: currency().notNull(),
    feeType: text('fee_type'),
    category: text('category', { enum: FINANCE_CATEGORIES }).notNull(),
    settlementId: text('settlement_id'),
    description: text('description'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('finance_events_tenant_event_id_uq').on(t.tenantId, t.eventId),
    index('idx_finance_events_date').on(t.tenantId, t.postedDate.desc()),
    // Order detail fee breakdown and fee_status settlement lookups.
    index('finance_events_tenant_order_idx')
      .on(t.tenantId, t.amazonOrderId)
      .where(sql`${t.amazonOrderId} IS NOT NULL`),
    // Money movements the sales rollups do not carry (account-level fees, shipping, other), read
    // by the P&L and dashboard per period without scanning every order's fee lines.
    index('finance_events_tenant_unrolled_idx')
      .on(t.tenantId, t.postedDate)
      .where(sql`${t.amazonOrderId} IS NULL OR ${t.category} IN ('shipping', 'other')`),
    oneOf('finance_events_source_check', t.source, FINANCE_SOURCES),
    oneOf('finance_events_category_check', t.category, FINANCE_CATEGORIES),
  ],
);

export const settlements = pgTable(
  'settlements',
  {
    id: id(),
    tenantId: tenantId(),
    settlementId: text('settlement_id').notNull(),
    startDate: tstz('start_date'),
    endDate: tstz('end_date'),
    depositDate: tstz('deposit_date'),
    totalAmount: money('total_amount'),
    currency: currency(),
    createdAt: createdAt(),
  },
  (t) => [unique('settlements_tenant_settlement_id_uq').on(t.tenantId, t.settlementId)],
);

/** Global daily rates: 1 unit of base = rate units of quote. */
export const exchangeRates = pgTable(
  'exchange_rates',
  {
    date: date('date', { mode: 'string' }).notNull(),
    base: char('base', { length: 3 }).notNull(),
    quote: char('quote', { length: 3 }).notNull(),
    rate: numeric('rate', { precision: 18, scale: 8, mode: 'string' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ name: 'exchange_rates_pk', columns: [t.date, t.base, t.quote] })],
);

export type FinanceEvent = typeof financeEvents.$inferSelect;
export type NewFinanceEvent = typeof financeEvents.$inferInsert;
export type Settlement = typeof settlements.$inferSelect;
export type ExchangeRate = typeof exchangeRates.$inferSelect;
