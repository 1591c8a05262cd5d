import { type SQL, sql } from 'drizzle-orm';
import { addDays } from '../../lib/dates';

/** Days of sales the list's velocity, margin and stock bands look back over. */
export const WINDOW_DAYS = 30;

/**
 * Per-listing 30-day metrics and stock band, as a CTE body named by the caller. While the last
 * rollup refresh ran today (tenant-local), window sales and the settled in-stock days come from
 * product_window_metrics and only yesterday's and today's snapshots are read; once the day has
 * turned they are summed from sales_daily and inventory_history here.
 *
 * velocity     = units sold in the window / days in stock in the window (days whose inventory
 *                snapshot shows fulfillable > 0; the whole window when no snapshot exists), so a
 *                stock-out does not drag velocity down.
 * daysOfStock  = available (FBA + FBM sellable) / velocity; null when nothing sold.
 * margin %     = 100 × (revenue − refunds − fees − COGS) / revenue over the window; null without sales.
 * stockLevel   = critical: nothing available or < 7 days of stock;
 *                low: < 30 days, or at/below minStockAlert;
 *                excess: above maxStock, or > 180 days;
 *                high: > 90 days; normal otherwise (and when nothing sold, within the limits).
 */
export function productMetricsCte(tenantId: string, today: string): SQL {
  const start = addDays(today, -(WINDOW_DAYS - 1));
  const yesterday = addDays(today, -1);
  return sql`
    fresh AS (
      SELECT EXISTS (SELECT 1 FROM sales_window_state WHERE tenant_id = ${tenantId}
                     AND as_of = ${today}::date AND window_days = ${WINDOW_DAYS}) AS ok
    ),
    w AS (SELECT * FROM product_window_metrics WHERE tenant_id = ${tenantId} AND (SELECT ok FROM fresh)),
    s AS (
      SELECT asin, marketplace_id, units, revenue, profit FROM w WHERE units IS NOT NULL
      UNION ALL
      SELECT asin, marketplace_id, sum(units), sum(revenue), sum(revenue - refunds - fees - cogs)
      FROM sales_daily WHERE tenant_id = ${tenantId} AND date BETWEEN ${start}::date AND ${today}::date
        AND NOT (SELECT ok FROM fresh)
      GROUP BY 1, 2
    ),
    h AS (
      SELECT asin, marketplace_id, sum(n) AS in_stock_days FROM (
        SELECT asin, marketplace_id, in_stock_days AS n FROM w
        UNION ALL
        SELECT asin, marketplace_id, count(*) FILTER (WHERE fulfillable > 0)
        FROM inventory_history WHERE tenant_id = ${tenantId} AND date <= ${today}::date
          AND date >= CASE WHEN (SELECT ok FROM fresh) THEN ${yesterday}::date ELSE ${start}::date END
        GROUP BY 1, 2
      ) x GROUP BY 1, 2
    ),
    base AS (
      SELECT p.*, coalesce(s.units, 0) AS units30, coalesce(s.revenue, 0) AS revenue30,
             coalesce(s.profit, 0) AS profit30, p.fba_stock + p.fbm_stock AS available,
             coalesce(s.units, 0)::numeric
               / CASE WHEN coalesce(h.in_stock_days, 0) = 0 THEN ${WINDOW_DAYS} ELSE h.in_stock_days END AS velocity
      FROM products p
      LEFT JOIN s ON s.asin = p.asin AND s.marketplace_id = p.marketplace_id
      LEFT JOIN h ON h.asin = p.asin AND h.marketplace_id = p.marketplace_id
      WHERE p.tenant_id = ${tenantId}
    ),
    dm AS (
      SELECT base.*, CASE WHEN velocity > 0 THEN available / velocity END AS days_of_stock,
             CASE WHEN revenue30 > 0 THEN round(100 * profit30 / revenue30, 2) END AS margin
      FROM base
    ),
    pm AS (
      SELECT dm.*, CASE
        WHEN available = 0 OR days_of_stock < 7 THEN 'critical'
        WHEN days_of_stock < 30 OR (min_stock_alert IS NOT NULL AND available <= min_stock_alert) THEN 'low'
        WHEN (max_stock IS NOT NULL AND available > max_stock) OR days_of_stock > 180 THEN 'excess'
        WHEN days_of_stock > 90 THEN 'high'
        ELSE 'normal' END AS stock_level
      FROM dm
    )`;
}

/** Columns of `pm` every product response maps (see `toProduct`). */
export const productColumns =
  sql.raw(`pm.id, pm.asin, pm.marketplace_id, pm.sku, pm.title, pm.brand, pm.category,
  pm.image_url, pm.fulfillment_channel, pm.price::text AS price, trim(pm.currency) AS currency, pm.cost::text AS cost,
  pm.fba_stock, pm.fbm_stock, pm.inbound_stock, pm.reserved_stock, pm.total_stock, pm.available,
  pm.sales_rank, pm.buy_box_status, pm.buy_box_price::text AS buy_box_price, pm.is_active, pm.listing_status,
  pm.min_stock_alert, pm.max_stock, pm.target_margin::text AS target_margin, pm.lead_time_days,
  pm.safety_stock_days, pm.notes, pm.tags, pm.custom_fields, pm.last_sync_at, pm.updated_at,
  pm.units30::int AS units30, pm.revenue30::text AS revenue30, pm.profit30::text AS profit30,
  pm.margin::text AS margin, round(pm.velocity, 2)::text AS velocity, pm.velocity::text AS velocity_exact,
  round(pm.days_of_stock, 1)::text AS days_of_stock, pm.stock_level`);
