// Rollups maintained by the syncs (recomputed for the affected days) so dashboards never scan raw
// orders. `date` is the tenant-local calendar day (tenants.timezone) of the purchase.
import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, smallint, text, unique } from 'drizzle-orm/pg-core';
import { currency, id, money, tenantId, unitMoney, updatedAt } from './_columns';

/** Per product per day. Refunds/fees/promotions are positive magnitudes (subtract them). */
export const salesDaily = pgTable(
  'sales_daily',
  {
    id: id(),
    tenantId: tenantId(),
    marketplaceId: text('marketplace_id').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    asin: text('asin').notNull(),
    units: integer('units').notNull().default(0),
    orders: integer('orders').notNull().default(0),
    revenue: money('revenue').notNull().default('0'),
    refunds: money('refunds').notNull().default('0'),
    fees: money('fees').notNull().default('0'),
    cogs: money('cogs').notNull().default('0'),
    promotions: money('promotions').notNull().default('0'),
    currency: currency().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('sales_daily_tenant_mkt_date_asin_uq').on(t.tenantId, t.marketplaceId, t.date, t.asin),
    // Range scans over all marketplaces/products for a period.
    index('sales_daily_tenant_date_idx').on(t.tenantId, t.date),
    index('sales_daily_tenant_asin_date_idx').on(t.tenantId, t.asin, t.date),
  ],
);

/**
 * Amazon order fees per day split into P&L fee lines (referral, fbaFulfillment, …), and whether
 * they are posted events or still the order line's estimates. Sums to sales_daily.fees per day.
 */
export const salesFeesDaily = pgTable(
  'sales_fees_daily',
  {
    id: id(),
    tenantId: tenantId(),
    marketplaceId: text('marketplace_id').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    currency: currency().notNull(),
    feeLine: text('fee_line').notNull(),
    estimated: boolean('estimated').notNull(),
    amount: unitMoney('amount').notNull().default('0'),
    // Order lines whose fees are estimated (counted on the referral row only).
    lines: integer('lines').notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('sales_fees_daily_uq').on(t.tenantId, t.marketplaceId, t.date, t.currency, t.feeLine, t.estimated),
    index('sales_fees_daily_tenant_date_idx').on(t.tenantId, t.date),
  ],
);

/** Orders by tenant-local hour of day, for the hourly performance chart. */
export const salesHourly = pgTable(
  'sales_hourly',
  {
    id: id(),
    tenantId: tenantId(),
    marketplaceId: text('marketplace_id').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    hour: smallint('hour').notNull(),
    orders: integer('orders').notNull().default(0),
    units: integer('units').notNull().default(0),
    revenue: money('revenue').notNull().default('0'),
    currency: currency().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('sales_hourly_tenant_mkt_date_hour_uq').on(t.tenantId, t.marketplaceId, t.date, t.hour),
    index('sales_hourly_tenant_date_idx').on(t.tenantId, t.date),
    check('sales_hourly_hour_check', sql`${t.hour} BETWEEN 0 AND 23`),
  ],
);

/** Orders by shipping country/state per day, for the geographic distribution chart. */
export const salesGeoDaily = pgTable(
  'sales_geo_daily',
  {
    id: id(),
    tenantId: tenantId(),
    marketplaceId: text('marketplace_id').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    // '' when Amazon gave no country/state, so the unique key has no NULLs.
    countryCode: text('country_code').notNull().default(''),
    stateCode: text('state_code').notNull().default(''),
    orders: integer('orders').notNull().default(0),
    revenue: money('revenue').notNull().default('0'),
    currency: currency().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('sales_geo_daily_tenant_mkt_date_geo_uq').on(
      t.tenantId,
      t.marketplaceId,
      t.date,
      t.countryCode,
      t.stateCode,
    ),
    index('sales_geo_daily_tenant_date_idx').on(t.tenantId, t.date),
  ],
);

export type SalesDaily = typeof salesDaily.$inferSelect;
export type NewSalesDaily = typeof salesDaily.$inferInsert;
export type SalesHourly = typeof salesHourly.$inferSelect;
export type SalesGeoDaily = typeof salesGeoDaily.$inferSelect;
export type SalesFeesDaily = typeof salesFeesDaily.$inferSelect;

/**
 * Per-tenant daily totals (sums of sales_daily, plus distinct orders from sales_hourly) per
 * marketplace and currency, so period KPIs and trends read a row per day instead of a row per
 * product per day. Maintained by refreshSalesRollups for the same days.
 */
export const salesTenantDaily = pgTable(
  'sales_tenant_daily',
  {
    id: id(),
    tenantId: tenantId(),
    marketplaceId: text('marketplace_id').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    currency: currency().notNull(),
    units: integer('units').notNull().default(0),
    orders: integer('orders').notNull().default(0),
    revenue: money('revenue').notNull().default('0'),
    refunds: money('refunds').notNull().default('0'),
    fees: money('fees').notNull().default('0'),
    cogs: money('cogs').notNull().default('0'),
    promotions: money('promotions').notNull().default('0'),
    // sales_daily rows summed here; 0 when the day only has orders (sales_hourly) in this currency.
    listings: integer('listings').notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [unique('sales_tenant_daily_uq').on(t.tenantId, t.date, t.marketplaceId, t.currency)],
);

/**
 * Trailing-window metrics per listing as of the tenant-local day of the last rollup refresh
 * (salesWindowState.asOf): sales_daily summed over [asOf − windowDays + 1, asOf], and the days in
 * stock (inventory_history.fulfillable > 0) over [asOf − windowDays + 1, asOf − 2]. Inventory syncs
 * only write the current day's snapshot, so days before yesterday are settled; readers add
 * yesterday and today live, and use this table only while asOf is still today.
 */
export const productWindowMetrics = pgTable(
  'product_window_metrics',
  {
    id: id(),
    tenantId: tenantId(),
    marketplaceId: text('marketplace_id').notNull(),
    asin: text('asin').notNull(),
    // Null when the listing has no sales_daily row in the window (only inventory snapshots).
    units: integer('units'),
    revenue: money('revenue'),
    profit: money('profit'),
    inStockDays: integer('in_stock_days').notNull().default(0),
  },
  (t) => [unique('product_window_metrics_uq').on(t.tenantId, t.asin, t.marketplaceId)],
);

/** The tenant-local day and window length product_window_metrics was computed for. */
export const salesWindowState = pgTable('sales_window_state', {
  tenantId: tenantId().primaryKey(),
  asOf: date('as_of', { mode: 'string' }).notNull(),
  windowDays: integer('window_days').notNull(),
  updatedAt: updatedAt(),
});
