import { eq, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { type Database, type Db, queryRows } from '../../db/client';
import {
  financeEvents,
  inventoryHistory,
  orderItems,
  orders,
  products,
  productWindowMetrics,
  salesDaily,
  salesFeesDaily,
  salesGeoDaily,
  salesHourly,
  salesTenantDaily,
  salesWindowState,
  tenants,
} from '../../db/schema';
import type { TenantInfo } from '../context';
import { feeLineOf } from '../finance/fee-types';
import { WINDOW_DAYS } from '../products/metrics-sql';

export interface RollupRange {
  from: Date;
  to: Date;
}

/** The tenant whose rollups are refreshed: its days are calendar days of its time zone. */
export interface RollupContext {
  db: Database;
  tenant: Pick<TenantInfo, 'id' | 'timezone' | 'currency'>;
}

/** What the statements of one refresh share: the tenant, and the affected days (first to last). */
interface RefreshScope {
  tenantId: string;
  timezone: string;
  /** Currency of order lines and orders that carry none. */
  fallbackCurrency: string;
  days: SQL;
  first: string;
  last: string;
}

/**
 * Recomputes sales_daily, sales_hourly and sales_geo_daily for every tenant-local day touched by
 * [from, to]: the days of that instant range, plus the purchase days of orders whose finance events
 * posted in it (fees settle and refunds post weeks after the sale, and the rollups book them on the
 * day of the sale). Delete-then-insert per day inside one transaction, so a re-run is idempotent and
 * readers never see a half-written day.
 */
export async function refreshSalesRollups(
  ctx: RollupContext,
  range: RollupRange,
): Promise<{ days: string[] }>;
/** @deprecated Pass a context: `refreshSalesRollups(ctx, range)`. Kept until the sync caller moves. */
export async function refreshSalesRollups(
  db: Database,
  tenantId: string,
  range: RollupRange,
): Promise<{ days: string[] }>;
export async function refreshSalesRollups(
  ...args: [RollupContext, RollupRange] | [Database, string, RollupRange]
): Promise<{ days: string[] }> {
  const [ctx, range] = args.length === 2 ? args : [await rollupContext(args[0], args[1]), args[2]];
  if (range.to < range.from) throw new Error('refreshSalesRollups: to is before from');
  if (!ctx) return { days: [] };
  const { db, tenant } = ctx;
  return db.transaction(async (tx) => {
    const days = await affectedDays(tx, tenant, range);
    const [first, last] = [days[0], days[days.length - 1]];
    if (first === undefined || last === undefined) return { days };
    const scope: RefreshScope = {
      tenantId: tenant.id,
      timezone: tenant.timezone,
      fallbackCurrency: tenant.currency,
      days: sql`(SELECT unnest(string_to_array(${days.join(',')}, ','))::date)`,
      first,
      last,
    };
    for (const table of [salesDaily, salesFeesDaily, salesHourly, salesGeoDaily, salesTenantDaily]) {
      await tx.execute(
        sql`DELETE FROM ${table} WHERE ${table.tenantId} = ${tenant.id} AND ${table.date} IN ${scope.days}`,
      );
    }
    await tx.execute(insertDaily(scope));
    await tx.execute(insertFees(scope));
    await tx.execute(insertHourly(scope));
    await tx.execute(insertGeo(scope));
    await tx.execute(insertTenantDaily(scope));
    await refreshProductWindow(tx, tenant);
    return { days };
  });
}

/** The tenant's time zone and currency, or null when the tenant does not exist. */
async function rollupContext(db: Database, tenantId: string): Promise<RollupContext | null> {
  const [tenant] = await db
    .select({ id: tenants.id, timezone: tenants.timezone, currency: tenants.currency })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  return tenant ? { db, tenant } : null;
}

/** Tenant-local days of [from, to], plus the purchase days of orders with events posted in it. */
async function affectedDays(db: Db, tenant: RollupContext['tenant'], range: RollupRange) {
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  const tz = tenant.timezone;
  const rows = await queryRows<{ day: string }>(
    db,
    sql`SELECT to_char(d, 'YYYY-MM-DD') AS day FROM (
          SELECT generate_series((${from}::timestamptz AT TIME ZONE ${tz})::date,
                                 (${to}::timestamptz AT TIME ZONE ${tz})::date, interval '1 day')::date AS d
          UNION
          SELECT DISTINCT (${orders.purchaseDate} AT TIME ZONE ${tz})::date
          FROM ${financeEvents}
          JOIN ${orders} ON ${orders.tenantId} = ${financeEvents.tenantId}
            AND ${orders.amazonOrderId} = ${financeEvents.amazonOrderId}
          WHERE ${financeEvents.tenantId} = ${tenant.id} AND ${financeEvents.postedDate} >= ${from}::timestamptz
            AND ${financeEvents.postedDate} <= ${to}::timestamptz
        ) s ORDER BY 1`,
  );
  return rows.map((r) => r.day);
}

/** `"col", …`: unqualified column names for INSERT column lists and conflict targets. */
function names(...columns: PgColumn[]): SQL {
  return sql.join(
    columns.map((c) => sql.identifier(c.name)),
    sql`, `,
  );
}

/** `col = EXCLUDED.col, …` for ON CONFLICT DO UPDATE, plus `updated_at = now()`. */
function takeExcluded(updatedAt: PgColumn, ...columns: PgColumn[]): SQL {
  const set = columns.map((c) => sql`${sql.identifier(c.name)} = EXCLUDED.${sql.identifier(c.name)}`);
  return sql.join([...set, sql`${sql.identifier(updatedAt.name)} = now()`], sql`, `);
}

/**
 * CTE `o`: orders of the affected days (index range on purchase_date, then the exact local days),
 * with their purchase time as a tenant-local timestamp.
 */
function ordersOfDays(scope: RefreshScope): SQL {
  const tz = scope.timezone;
  return sql`o AS (
    SELECT ${orders.amazonOrderId} AS order_id, ${orders.marketplaceId} AS marketplace_id,
           ${orders.currency} AS currency, ${orders.shipCountryCode} AS country_code,
           ${orders.shipStateCode} AS state_code, (${orders.purchaseDate} AT TIME ZONE ${tz}) AS local_ts
    FROM ${orders}
    WHERE ${orders.tenantId} = ${scope.tenantId}
      AND ${orders.orderStatus} <> 'Canceled'
      AND ${orders.purchaseDate} >= (${scope.first}::date::timestamp AT TIME ZONE ${tz})
      AND ${orders.purchaseDate} < ((${scope.last}::date + 1)::timestamp AT TIME ZONE ${tz})
      AND (${orders.purchaseDate} AT TIME ZONE ${tz})::date IN ${scope.days}
  )`;
}

/**
 * CTE `lines` (after `o`): order lines per (marketplace, day, ASIN, order) with units, revenue net
 * of promotions, whether every line's fees settled, and the lines' referral / FBA / other estimates.
 */
function orderLines(scope: RefreshScope): SQL {
  const items = orderItems;
  return sql`lines AS (
    SELECT o.marketplace_id, o.local_ts::date AS day, ${items.asin} AS asin, o.order_id,
           min(coalesce(${items.currency}, o.currency, ${scope.fallbackCurrency})) AS currency,
           count(*)::int AS line_count, sum(${items.quantity}) AS units,
           sum(coalesce(${items.itemPrice}, 0) - coalesce(${items.promotionDiscount}, 0)) AS revenue,
           sum(coalesce(${items.promotionDiscount}, 0)) AS promotions,
           bool_and(${items.feeStatus} = 'settled') AS settled,
           sum(coalesce(${items.referralFee}, 0)) AS referral, sum(coalesce(${items.fbaFee}, 0)) AS fba,
           sum(coalesce(${items.otherFees}, 0)) AS other
    FROM o JOIN ${items} ON ${items.tenantId} = ${scope.tenantId} AND ${items.amazonOrderId} = o.order_id
    GROUP BY 1, 2, 3, 4
  )`;
}

/** Finance events of the affected orders, as `fe` columns. */
const eventsOfOrders = (scope: RefreshScope) =>
  sql`${financeEvents.tenantId} = ${scope.tenantId} AND ${financeEvents.amazonOrderId} IN (SELECT order_id FROM o)`;

function insertDaily(scope: RefreshScope): SQL {
  const fe = financeEvents;
  const daily = salesDaily;
  return sql`
    WITH ${ordersOfDays(scope)}, ${orderLines(scope)},
    ev AS (
      SELECT ${fe.amazonOrderId} AS order_id, ${fe.asin} AS asin,
             -sum(${fe.amount}) FILTER (WHERE ${fe.category} = 'fee') AS fees,
             -sum(${fe.amount}) FILTER (WHERE ${fe.category} = 'refund') AS refunds
      FROM ${fe} WHERE ${eventsOfOrders(scope)}
      GROUP BY 1, 2
    )
    INSERT INTO ${daily} (${names(daily.tenantId, daily.marketplaceId, daily.date, daily.asin, daily.units, daily.orders, daily.revenue, daily.refunds, daily.fees, daily.cogs, daily.promotions, daily.currency, daily.updatedAt)})
    SELECT ${scope.tenantId}::uuid, l.marketplace_id, l.day, l.asin, sum(l.units), count(*), sum(l.revenue),
           coalesce(sum(ev.refunds), 0),
           sum(CASE WHEN l.settled AND ev.fees IS NOT NULL THEN ev.fees ELSE l.referral + l.fba + l.other END),
           sum(l.units * coalesce(${products.cost}, 0)), sum(l.promotions), min(l.currency), now()
    FROM lines l
    LEFT JOIN ev ON ev.order_id = l.order_id AND ev.asin = l.asin
    LEFT JOIN ${products} ON ${products.tenantId} = ${scope.tenantId} AND ${products.asin} = l.asin
      AND ${products.marketplaceId} = l.marketplace_id
    GROUP BY l.marketplace_id, l.day, l.asin
    ON CONFLICT (${names(daily.tenantId, daily.marketplaceId, daily.date, daily.asin)}) DO UPDATE SET
      ${takeExcluded(daily.updatedAt, daily.units, daily.orders, daily.revenue, daily.refunds, daily.fees, daily.cogs, daily.promotions, daily.currency)}`;
}

/**
 * The same order fees as sales_daily.fees, split into P&L fee lines: posted fee events (by
 * fee_type) for settled lines, the line's referral / FBA / other estimates otherwise.
 */
function insertFees(scope: RefreshScope): SQL {
  const fe = financeEvents;
  const fees = salesFeesDaily;
  return sql`
    WITH ${ordersOfDays(scope)}, ${orderLines(scope)},
    ev AS (
      SELECT ${fe.amazonOrderId} AS order_id, ${fe.asin} AS asin, ${feeLineOf(sql`${fe.feeType}`)} AS line,
             -sum(${fe.amount}) AS amount
      FROM ${fe} WHERE ${eventsOfOrders(scope)} AND ${fe.category} = 'fee'
      GROUP BY 1, 2, 3
    ),
    posted AS (SELECT order_id, asin FROM ev GROUP BY 1, 2),
    split AS (
      SELECT lines.*, (lines.settled AND posted.asin IS NOT NULL) AS is_posted
      FROM lines LEFT JOIN posted ON posted.order_id = lines.order_id AND posted.asin = lines.asin
    )
    INSERT INTO ${fees} (${names(fees.tenantId, fees.marketplaceId, fees.date, fees.currency, fees.feeLine, fees.estimated, fees.amount, fees.lines, fees.updatedAt)})
    SELECT ${scope.tenantId}::uuid, marketplace_id, day, currency, line, estimated, sum(amount), sum(n), now() FROM (
      SELECT split.marketplace_id, split.day, split.currency, ev.line, false AS estimated, ev.amount, 0 AS n
      FROM ev JOIN split ON split.order_id = ev.order_id AND split.asin = ev.asin WHERE split.is_posted
      UNION ALL SELECT marketplace_id, day, currency, 'referral', true, referral, line_count FROM split WHERE NOT is_posted
      UNION ALL SELECT marketplace_id, day, currency, 'fbaFulfillment', true, fba, 0 FROM split WHERE NOT is_posted
      UNION ALL SELECT marketplace_id, day, currency, 'other', true, other, 0 FROM split WHERE NOT is_posted
    ) x
    GROUP BY marketplace_id, day, currency, line, estimated`;
}

/** CTE `t` (after `o`): per-order units and revenue, so order counts stay distinct across lines. */
function orderTotals(scope: RefreshScope): SQL {
  const items = orderItems;
  return sql`t AS (
    SELECT ${items.amazonOrderId} AS order_id, sum(${items.quantity}) AS units,
           sum(coalesce(${items.itemPrice}, 0) - coalesce(${items.promotionDiscount}, 0)) AS revenue,
           min(${items.currency}) AS currency
    FROM ${items}
    WHERE ${items.tenantId} = ${scope.tenantId} AND ${items.amazonOrderId} IN (SELECT order_id FROM o)
    GROUP BY 1
  )`;
}

function insertHourly(scope: RefreshScope): SQL {
  const hourly = salesHourly;
  return sql`
    WITH ${ordersOfDays(scope)}, ${orderTotals(scope)}
    INSERT INTO ${hourly} (${names(hourly.tenantId, hourly.marketplaceId, hourly.date, hourly.hour, hourly.orders, hourly.units, hourly.revenue, hourly.currency, hourly.updatedAt)})
    SELECT ${scope.tenantId}::uuid, o.marketplace_id, o.local_ts::date, extract(hour FROM o.local_ts)::smallint,
           count(*), coalesce(sum(t.units), 0), coalesce(sum(t.revenue), 0),
           min(coalesce(t.currency, o.currency, ${scope.fallbackCurrency})), now()
    FROM o LEFT JOIN t ON t.order_id = o.order_id
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (${names(hourly.tenantId, hourly.marketplaceId, hourly.date, hourly.hour)}) DO UPDATE SET
      ${takeExcluded(hourly.updatedAt, hourly.orders, hourly.units, hourly.revenue, hourly.currency)}`;
}

function insertGeo(scope: RefreshScope): SQL {
  const geo = salesGeoDaily;
  return sql`
    WITH ${ordersOfDays(scope)}, ${orderTotals(scope)}
    INSERT INTO ${geo} (${names(geo.tenantId, geo.marketplaceId, geo.date, geo.countryCode, geo.stateCode, geo.orders, geo.revenue, geo.currency, geo.updatedAt)})
    SELECT ${scope.tenantId}::uuid, o.marketplace_id, o.local_ts::date, coalesce(o.country_code, ''),
           coalesce(o.state_code, ''), count(*), coalesce(sum(t.revenue), 0),
           min(coalesce(t.currency, o.currency, ${scope.fallbackCurrency})), now()
    FROM o LEFT JOIN t ON t.order_id = o.order_id
    GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (${names(geo.tenantId, geo.marketplaceId, geo.date, geo.countryCode, geo.stateCode)}) DO UPDATE SET
      ${takeExcluded(geo.updatedAt, geo.orders, geo.revenue, geo.currency)}`;
}

/** Per-day tenant totals of the refreshed days, from the rows just written. */
function insertTenantDaily(scope: RefreshScope): SQL {
  const daily = salesDaily;
  const hourly = salesHourly;
  const tenantDaily = salesTenantDaily;
  return sql`
    WITH day_sums AS (
      SELECT ${daily.marketplaceId} AS marketplace_id, ${daily.date} AS date, ${daily.currency} AS currency,
             sum(${daily.units})::int AS units, sum(${daily.revenue}) AS revenue, sum(${daily.refunds}) AS refunds,
             sum(${daily.fees}) AS fees, sum(${daily.cogs}) AS cogs, sum(${daily.promotions}) AS promotions,
             count(*)::int AS listings
      FROM ${daily} WHERE ${daily.tenantId} = ${scope.tenantId} AND ${daily.date} IN ${scope.days} GROUP BY 1, 2, 3
    ),
    day_orders AS (
      SELECT ${hourly.marketplaceId} AS marketplace_id, ${hourly.date} AS date, ${hourly.currency} AS currency,
             sum(${hourly.orders})::int AS orders
      FROM ${hourly} WHERE ${hourly.tenantId} = ${scope.tenantId} AND ${hourly.date} IN ${scope.days} GROUP BY 1, 2, 3
    )
    INSERT INTO ${tenantDaily} (${names(tenantDaily.tenantId, tenantDaily.marketplaceId, tenantDaily.date, tenantDaily.currency, tenantDaily.units, tenantDaily.orders, tenantDaily.revenue, tenantDaily.refunds, tenantDaily.fees, tenantDaily.cogs, tenantDaily.promotions, tenantDaily.listings, tenantDaily.updatedAt)})
    SELECT ${scope.tenantId}::uuid, coalesce(day_sums.marketplace_id, day_orders.marketplace_id), coalesce(day_sums.date, day_orders.date),
           coalesce(day_sums.currency, day_orders.currency), coalesce(day_sums.units, 0), coalesce(day_orders.orders, 0), coalesce(day_sums.revenue, 0),
           coalesce(day_sums.refunds, 0), coalesce(day_sums.fees, 0), coalesce(day_sums.cogs, 0), coalesce(day_sums.promotions, 0),
           coalesce(day_sums.listings, 0), now()
    FROM day_sums FULL JOIN day_orders ON day_orders.marketplace_id = day_sums.marketplace_id
      AND day_orders.date = day_sums.date AND day_orders.currency = day_sums.currency
    ON CONFLICT (${names(tenantDaily.tenantId, tenantDaily.date, tenantDaily.marketplaceId, tenantDaily.currency)}) DO UPDATE SET
      ${takeExcluded(tenantDaily.updatedAt, tenantDaily.units, tenantDaily.orders, tenantDaily.revenue, tenantDaily.refunds, tenantDaily.fees, tenantDaily.cogs, tenantDaily.promotions, tenantDaily.listings)}`;
}

/**
 * Recomputes the tenant's trailing-window metrics per listing as of today (tenant-local, at the
 * transaction's start), whatever days were refreshed: the window moves with the calendar. Days in
 * stock stop before yesterday (see product_window_metrics).
 */
async function refreshProductWindow(db: Db, tenant: RollupContext['tenant']): Promise<void> {
  const today = sql`(now() AT TIME ZONE ${tenant.timezone})::date`;
  const start = sql`${today} - ${WINDOW_DAYS - 1}::int`;
  const state = salesWindowState;
  // Written first: its row lock makes concurrent refreshes of one tenant take turns here.
  await db
    .insert(state)
    .values({ tenantId: tenant.id, asOf: today, windowDays: WINDOW_DAYS, updatedAt: sql`now()` })
    .onConflictDoUpdate({
      target: state.tenantId,
      set: { asOf: today, windowDays: WINDOW_DAYS, updatedAt: sql`now()` },
    });
  await db.delete(productWindowMetrics).where(eq(productWindowMetrics.tenantId, tenant.id));
  const sales = salesDaily;
  const stock = inventoryHistory;
  const windowMetrics = productWindowMetrics;
  await db.execute(sql`
    WITH s AS (
      SELECT ${sales.marketplaceId} AS marketplace_id, ${sales.asin} AS asin, sum(${sales.units}) AS units,
             sum(${sales.revenue}) AS revenue,
             sum(${sales.revenue} - ${sales.refunds} - ${sales.fees} - ${sales.cogs}) AS profit
      FROM ${sales} WHERE ${sales.tenantId} = ${tenant.id} AND ${sales.date} BETWEEN ${start} AND ${today}
      GROUP BY 1, 2
    ),
    h AS (
      SELECT ${stock.marketplaceId} AS marketplace_id, ${stock.asin} AS asin,
             count(*) FILTER (WHERE ${stock.fulfillable} > 0) AS in_stock_days
      FROM ${stock} WHERE ${stock.tenantId} = ${tenant.id} AND ${stock.date} BETWEEN ${start} AND ${today} - 2
      GROUP BY 1, 2
    )
    INSERT INTO ${windowMetrics} (${names(windowMetrics.tenantId, windowMetrics.marketplaceId, windowMetrics.asin, windowMetrics.units, windowMetrics.revenue, windowMetrics.profit, windowMetrics.inStockDays)})
    SELECT ${tenant.id}::uuid, coalesce(s.marketplace_id, h.marketplace_id), coalesce(s.asin, h.asin),
           s.units, s.revenue, s.profit, coalesce(h.in_stock_days, 0)
    FROM s FULL JOIN h ON h.marketplace_id = s.marketplace_id AND h.asin = s.asin`);
}
