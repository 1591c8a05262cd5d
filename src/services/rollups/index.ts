import { type SQL, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/client';
import { feeLineOf } from '../finance/fee-types';
import { WINDOW_DAYS } from '../products/metrics-sql';

export interface RollupRange {
  from: Date;
  to: Date;
}

/**
 * Recomputes sales_daily, sales_hourly and sales_geo_daily for every tenant-local day touched by
 * [from, to]: the days of that instant range, plus the purchase days of orders whose finance events
 * posted in it (fees settle and refunds post weeks after the sale, and the rollups book them on the
 * day of the sale). Delete-then-insert per day inside one transaction, so a re-run is idempotent and
 * readers never see a half-written day.
 */
export async function refreshSalesRollups(
  db: Database,
  tenantId: string,
  range: RollupRange,
): Promise<{ days: string[] }> {
  if (range.to < range.from) throw new Error('refreshSalesRollups: to is before from');
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  return db.transaction(async (tx) => {
    const tenant = await queryRows<{ timezone: string; currency: string }>(
      tx,
      sql`SELECT timezone, currency FROM tenants WHERE id = ${tenantId}`,
    );
    if (!tenant[0]) return { days: [] };
    const { timezone: tz, currency: fallbackCurrency } = tenant[0];
    const dayRows = await queryRows<{ day: string }>(
      tx,
      sql`SELECT to_char(d, 'YYYY-MM-DD') AS day FROM (
            SELECT generate_series((${from}::timestamptz AT TIME ZONE ${tz})::date,
                                   (${to}::timestamptz AT TIME ZONE ${tz})::date, interval '1 day')::date AS d
            UNION
            SELECT DISTINCT (o.purchase_date AT TIME ZONE ${tz})::date
            FROM finance_events fe
            JOIN orders o ON o.tenant_id = fe.tenant_id AND o.amazon_order_id = fe.amazon_order_id
            WHERE fe.tenant_id = ${tenantId} AND fe.posted_date >= ${from}::timestamptz
              AND fe.posted_date <= ${to}::timestamptz
          ) s ORDER BY 1`,
    );
    const days = dayRows.map((r) => r.day);
    if (days.length === 0) return { days };
    const ctx: Ctx = {
      tenantId,
      tz,
      fallbackCurrency,
      days: sql`(SELECT unnest(string_to_array(${days.join(',')}, ','))::date)`,
      first: days[0]!,
      last: days[days.length - 1]!,
    };

    for (const table of [
      'sales_daily',
      'sales_fees_daily',
      'sales_hourly',
      'sales_geo_daily',
      'sales_tenant_daily',
    ]) {
      await tx.execute(
        sql`DELETE FROM ${sql.identifier(table)} WHERE tenant_id = ${tenantId} AND date IN ${ctx.days}`,
      );
    }
    await tx.execute(insertDaily(ctx));
    await tx.execute(insertFees(ctx));
    await tx.execute(insertHourly(ctx));
    await tx.execute(insertGeo(ctx));
    await tx.execute(insertTenantDaily(ctx));
    await refreshProductWindow(tx, tenantId, tz);
    return { days };
  });
}

interface Ctx {
  tenantId: string;
  tz: string;
  fallbackCurrency: string;
  days: SQL;
  first: string;
  last: string;
}

/** Orders of the affected days (index range on purchase_date, then the exact local days). */
function ordersOfDays(c: Ctx): SQL {
  return sql`SELECT o.amazon_order_id, o.marketplace_id, o.currency, o.ship_country_code, o.ship_state_code,
                    (o.purchase_date AT TIME ZONE ${c.tz}) AS local_ts
             FROM orders o
             WHERE o.tenant_id = ${c.tenantId}
               AND o.order_status <> 'Canceled'
               AND o.purchase_date >= (${c.first}::date::timestamp AT TIME ZONE ${c.tz})
               AND o.purchase_date < ((${c.last}::date + 1)::timestamp AT TIME ZONE ${c.tz})
               AND (o.purchase_date AT TIME ZONE ${c.tz})::date IN ${c.days}`;
}

function insertDaily(c: Ctx): SQL {
  return sql`
    WITH o AS (${ordersOfDays(c)}),
    lines AS (
      SELECT o.marketplace_id, o.local_ts::date AS day, i.asin, i.amazon_order_id,
             min(coalesce(i.currency, o.currency, ${c.fallbackCurrency})) AS currency,
             sum(i.quantity) AS units,
             sum(coalesce(i.item_price, 0) - coalesce(i.promotion_discount, 0)) AS revenue,
             sum(coalesce(i.promotion_discount, 0)) AS promotions,
             bool_and(i.fee_status = 'settled') AS settled,
             sum(coalesce(i.referral_fee, 0) + coalesce(i.fba_fee, 0) + coalesce(i.other_fees, 0)) AS estimated_fees
      FROM o JOIN order_items i ON i.tenant_id = ${c.tenantId} AND i.amazon_order_id = o.amazon_order_id
      GROUP BY 1, 2, 3, 4
    ),
    ev AS (
      SELECT fe.amazon_order_id, fe.asin,
             -sum(fe.amount) FILTER (WHERE fe.category = 'fee') AS fees,
             -sum(fe.amount) FILTER (WHERE fe.category = 'refund') AS refunds
      FROM finance_events fe
      WHERE fe.tenant_id = ${c.tenantId} AND fe.amazon_order_id IN (SELECT amazon_order_id FROM o)
      GROUP BY 1, 2
    )
    INSERT INTO sales_daily (tenant_id, marketplace_id, date, asin, units, orders, revenue, refunds, fees, cogs, promotions, currency, updated_at)
    SELECT ${c.tenantId}::uuid, l.marketplace_id, l.day, l.asin, sum(l.units), count(*), sum(l.revenue),
           coalesce(sum(ev.refunds), 0),
           sum(CASE WHEN l.settled AND ev.fees IS NOT NULL THEN ev.fees ELSE l.estimated_fees END),
           sum(l.units * coalesce(p.cost, 0)), sum(l.promotions), min(l.currency), now()
    FROM lines l
    LEFT JOIN ev ON ev.amazon_order_id = l.amazon_order_id AND ev.asin = l.asin
    LEFT JOIN products p ON p.tenant_id = ${c.tenantId} AND p.asin = l.asin AND p.marketplace_id = l.marketplace_id
    GROUP BY l.marketplace_id, l.day, l.asin
    ON CONFLICT (tenant_id, marketplace_id, date, asin) DO UPDATE SET
      units = EXCLUDED.units, orders = EXCLUDED.orders, revenue = EXCLUDED.revenue, refunds = EXCLUDED.refunds,
      fees = EXCLUDED.fees, cogs = EXCLUDED.cogs, promotions = EXCLUDED.promotions,
      currency = EXCLUDED.currency, updated_at = now()`;
}

/**
 * The same order fees as sales_daily.fees, split into P&L fee lines: posted fee events (by
 * fee_type) for settled lines, the line's referral / FBA / other estimates otherwise.
 */
function insertFees(c: Ctx): SQL {
  return sql`
    WITH o AS (${ordersOfDays(c)}),
    items AS (
      SELECT o.marketplace_id, o.local_ts::date AS day, i.amazon_order_id, i.asin,
             min(coalesce(i.currency, o.currency, ${c.fallbackCurrency})) AS currency,
             bool_and(i.fee_status = 'settled') AS settled, count(*)::int AS n,
             sum(coalesce(i.referral_fee, 0)) AS referral, sum(coalesce(i.fba_fee, 0)) AS fba,
             sum(coalesce(i.other_fees, 0)) AS other
      FROM o JOIN order_items i ON i.tenant_id = ${c.tenantId} AND i.amazon_order_id = o.amazon_order_id
      GROUP BY 1, 2, 3, 4
    ),
    ev AS (
      SELECT fe.amazon_order_id, fe.asin, ${feeLineOf(sql`fe.fee_type`)} AS line, -sum(fe.amount) AS amount
      FROM finance_events fe
      WHERE fe.tenant_id = ${c.tenantId} AND fe.category = 'fee' AND fe.amazon_order_id IN (SELECT amazon_order_id FROM o)
      GROUP BY 1, 2, 3
    ),
    posted AS (SELECT amazon_order_id, asin FROM ev GROUP BY 1, 2),
    f AS (
      SELECT items.*, (items.settled AND posted.asin IS NOT NULL) AS is_posted
      FROM items LEFT JOIN posted ON posted.amazon_order_id = items.amazon_order_id AND posted.asin = items.asin
    )
    INSERT INTO sales_fees_daily (tenant_id, marketplace_id, date, currency, fee_line, estimated, amount, lines, updated_at)
    SELECT ${c.tenantId}::uuid, marketplace_id, day, currency, line, estimated, sum(amount), sum(n), now() FROM (
      SELECT f.marketplace_id, f.day, f.currency, ev.line, false AS estimated, ev.amount, 0 AS n
      FROM ev JOIN f ON f.amazon_order_id = ev.amazon_order_id AND f.asin = ev.asin WHERE f.is_posted
      UNION ALL SELECT marketplace_id, day, currency, 'referral', true, referral, n FROM f WHERE NOT is_posted
      UNION ALL SELECT marketplace_id, day, currency, 'fbaFulfillment', true, fba, 0 FROM f WHERE NOT is_posted
      UNION ALL SELECT marketplace_id, day, currency, 'other', true, other, 0 FROM f WHERE NOT is_posted
    ) x
    GROUP BY marketplace_id, day, currency, line, estimated`;
}

/** Per-order units and revenue, so order counts stay distinct when an order has several lines. */
function orderTotals(c: Ctx): SQL {
  return sql`SELECT i.amazon_order_id, sum(i.quantity) AS units,
                    sum(coalesce(i.item_price, 0) - coalesce(i.promotion_discount, 0)) AS revenue,
                    min(i.currency) AS currency
             FROM order_items i
             WHERE i.tenant_id = ${c.tenantId} AND i.amazon_order_id IN (SELECT amazon_order_id FROM o)
             GROUP BY 1`;
}

function insertHourly(c: Ctx): SQL {
  return sql`
    WITH o AS (${ordersOfDays(c)}), t AS (${orderTotals(c)})
    INSERT INTO sales_hourly (tenant_id, marketplace_id, date, hour, orders, units, revenue, currency, updated_at)
    SELECT ${c.tenantId}::uuid, o.marketplace_id, o.local_ts::date, extract(hour FROM o.local_ts)::smallint,
           count(*), coalesce(sum(t.units), 0), coalesce(sum(t.revenue), 0),
           min(coalesce(t.currency, o.currency, ${c.fallbackCurrency})), now()
    FROM o LEFT JOIN t ON t.amazon_order_id = o.amazon_order_id
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (tenant_id, marketplace_id, date, hour) DO UPDATE SET
      orders = EXCLUDED.orders, units = EXCLUDED.units, revenue = EXCLUDED.revenue,
      currency = EXCLUDED.currency, updated_at = now()`;
}

function insertGeo(c: Ctx): SQL {
  return sql`
    WITH o AS (${ordersOfDays(c)}), t AS (${orderTotals(c)})
    INSERT INTO sales_geo_daily (tenant_id, marketplace_id, date, country_code, state_code, orders, revenue, currency, updated_at)
    SELECT ${c.tenantId}::uuid, o.marketplace_id, o.local_ts::date, coalesce(o.ship_country_code, ''),
           coalesce(o.ship_state_code, ''), count(*), coalesce(sum(t.revenue), 0),
           min(coalesce(t.currency, o.currency, ${c.fallbackCurrency})), now()
    FROM o LEFT JOIN t ON t.amazon_order_id = o.amazon_order_id
    GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (tenant_id, marketplace_id, date, country_code, state_code) DO UPDATE SET
      orders = EXCLUDED.orders, revenue = EXCLUDED.revenue, currency = EXCLUDED.currency, updated_at = now()`;
}

/** Per-day tenant totals of the refreshed days, from the rows just written. */
function insertTenantDaily(c: Ctx): SQL {
  return sql`
    WITH d AS (
      SELECT marketplace_id, date, currency, sum(units)::int AS units, sum(revenue) AS revenue,
             sum(refunds) AS refunds, sum(fees) AS fees, sum(cogs) AS cogs, sum(promotions) AS promotions,
             count(*)::int AS listings
      FROM sales_daily WHERE tenant_id = ${c.tenantId} AND date IN ${c.days} GROUP BY 1, 2, 3
    ),
    h AS (
      SELECT marketplace_id, date, currency, sum(orders)::int AS orders
      FROM sales_hourly WHERE tenant_id = ${c.tenantId} AND date IN ${c.days} GROUP BY 1, 2, 3
    )
    INSERT INTO sales_tenant_daily (tenant_id, marketplace_id, date, currency, units, orders, revenue, refunds, fees, cogs, promotions, listings, updated_at)
    SELECT ${c.tenantId}::uuid, coalesce(d.marketplace_id, h.marketplace_id), coalesce(d.date, h.date),
           coalesce(d.currency, h.currency), coalesce(d.units, 0), coalesce(h.orders, 0), coalesce(d.revenue, 0),
           coalesce(d.refunds, 0), coalesce(d.fees, 0), coalesce(d.cogs, 0), coalesce(d.promotions, 0), coalesce(d.listings, 0), now()
    FROM d FULL JOIN h ON h.marketplace_id = d.marketplace_id AND h.date = d.date AND h.currency = d.currency
    ON CONFLICT (tenant_id, date, marketplace_id, currency) DO UPDATE SET
      units = EXCLUDED.units, orders = EXCLUDED.orders, revenue = EXCLUDED.revenue, refunds = EXCLUDED.refunds,
      fees = EXCLUDED.fees, cogs = EXCLUDED.cogs, promotions = EXCLUDED.promotions, listings = EXCLUDED.listings,
      updated_at = now()`;
}

/**
 * Recomputes the tenant's trailing-window metrics per listing as of today (tenant-local, at the
 * transaction's start), whatever days were refreshed: the window moves with the calendar. Days in
 * stock stop before yesterday (see product_window_metrics).
 */
async function refreshProductWindow(db: Database, tenantId: string, tz: string): Promise<void> {
  const today = sql`(now() AT TIME ZONE ${tz})::date`;
  const start = sql`${today} - ${WINDOW_DAYS - 1}::int`;
  // Written first: its row lock makes concurrent refreshes of one tenant take turns here.
  await db.execute(sql`
    INSERT INTO sales_window_state (tenant_id, as_of, window_days, updated_at)
    VALUES (${tenantId}, ${today}, ${WINDOW_DAYS}, now())
    ON CONFLICT (tenant_id) DO UPDATE SET as_of = EXCLUDED.as_of, window_days = EXCLUDED.window_days, updated_at = now()`);
  await db.execute(sql`DELETE FROM product_window_metrics WHERE tenant_id = ${tenantId}`);
  await db.execute(sql`
    WITH s AS (
      SELECT marketplace_id, asin, sum(units) AS units, sum(revenue) AS revenue,
             sum(revenue - refunds - fees - cogs) AS profit
      FROM sales_daily WHERE tenant_id = ${tenantId} AND date BETWEEN ${start} AND ${today}
      GROUP BY 1, 2
    ),
    h AS (
      SELECT marketplace_id, asin, count(*) FILTER (WHERE fulfillable > 0) AS in_stock_days
      FROM inventory_history WHERE tenant_id = ${tenantId} AND date BETWEEN ${start} AND ${today} - 2
      GROUP BY 1, 2
    )
    INSERT INTO product_window_metrics (tenant_id, marketplace_id, asin, units, revenue, profit, in_stock_days)
    SELECT ${tenantId}::uuid, coalesce(s.marketplace_id, h.marketplace_id), coalesce(s.asin, h.asin),
           s.units, s.revenue, s.profit, coalesce(h.in_stock_days, 0)
    FROM s FULL JOIN h ON h.marketplace_id = s.marketplace_id AND h.asin = s.asin`);
}
