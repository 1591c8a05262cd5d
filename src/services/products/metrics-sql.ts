import { type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  inventoryHistory,
  products,
  productWindowMetrics,
  salesDaily,
  salesWindowState,
} from '../../db/schema';
import { addDays } from '../../lib/dates';

/** Days of sales the list's velocity, margin and stock bands look back over. */
export const WINDOW_DAYS = 30;

/**
 * `pm`, the metrics CTE: every products column, addressed through the schema (`${pm.asin}` is
 * `"pm"."asin"`), plus the computed `METRIC_COLUMNS`. `${pm}` is the name `pm` itself.
 */
export const pm = alias(products, 'pm');
/** The products rows the CTE starts from, and the intermediate step that carries them to `pm`. */
const p = alias(products, 'p');
const dm = alias(products, 'dm');

/** Columns `pm` computes beside the products columns. */
export const METRIC_COLUMNS = [
  'units30',
  'revenue30',
  'profit30',
  'available',
  'velocity',
  'days_of_stock',
  'margin',
  'stock_level',
] as const;

/** `rel.units30, rel.revenue30, …`: the metric columns of a relation that carries them. */
export function metricsOf(rel: SQL): SQL {
  return sql.join(
    METRIC_COLUMNS.map((c) => sql`${rel}.${sql.identifier(c)}`),
    sql`, `,
  );
}

/**
 * Per-listing 30-day metrics and stock band: CTEs ending in `pm`, for `WITH ${productMetricsCte(…)}`.
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
  return sql`${windowActivityCtes(tenantId, today)},
    base AS (
      SELECT ${p}.*, coalesce(s.units, 0) AS units30, coalesce(s.revenue, 0) AS revenue30,
             coalesce(s.profit, 0) AS profit30, ${p.fbaStock} + ${p.fbmStock} AS available,
             coalesce(s.units, 0)::numeric
               / CASE WHEN coalesce(h.in_stock_days, 0) = 0 THEN ${WINDOW_DAYS} ELSE h.in_stock_days END AS velocity
      FROM ${products} ${p}
      LEFT JOIN s ON s.asin = ${p.asin} AND s.marketplace_id = ${p.marketplaceId}
      LEFT JOIN h ON h.asin = ${p.asin} AND h.marketplace_id = ${p.marketplaceId}
      WHERE ${p.tenantId} = ${tenantId}
    ),
    ${dm} AS (
      SELECT base.*, CASE WHEN velocity > 0 THEN available / velocity END AS days_of_stock,
             CASE WHEN revenue30 > 0 THEN round(100 * profit30 / revenue30, 2) END AS margin
      FROM base
    ),
    ${pm} AS (
      SELECT ${dm}.*, CASE
        WHEN available = 0 OR days_of_stock < 7 THEN 'critical'
        WHEN days_of_stock < 30 OR (${dm.minStockAlert} IS NOT NULL AND available <= ${dm.minStockAlert}) THEN 'low'
        WHEN (${dm.maxStock} IS NOT NULL AND available > ${dm.maxStock}) OR days_of_stock > 180 THEN 'excess'
        WHEN days_of_stock > 90 THEN 'high'
        ELSE 'normal' END AS stock_level
      FROM ${dm}
    )`;
}

/**
 * `s` (window units, revenue and profit) and `h` (days in stock) per ASIN and marketplace. While the
 * last rollup refresh ran today (tenant-local), window sales and the settled in-stock days come from
 * product_window_metrics and only yesterday's and today's snapshots are read; once the day has
 * turned they are summed from sales_daily and inventory_history here.
 */
function windowActivityCtes(tenantId: string, today: string): SQL {
  const start = addDays(today, -(WINDOW_DAYS - 1));
  const yesterday = addDays(today, -1);
  const state = salesWindowState;
  const pwm = productWindowMetrics;
  const inv = inventoryHistory;
  return sql`
    fresh AS (
      SELECT EXISTS (SELECT 1 FROM ${state} WHERE ${state.tenantId} = ${tenantId}
                     AND ${state.asOf} = ${today}::date AND ${state.windowDays} = ${WINDOW_DAYS}) AS ok
    ),
    w AS (
      SELECT ${pwm.asin} AS asin, ${pwm.marketplaceId} AS marketplace_id, ${pwm.units} AS units,
             ${pwm.revenue} AS revenue, ${pwm.profit} AS profit, ${pwm.inStockDays} AS in_stock_days
      FROM ${pwm} WHERE ${pwm.tenantId} = ${tenantId} AND (SELECT ok FROM fresh)
    ),
    s AS (
      SELECT asin, marketplace_id, units, revenue, profit FROM w WHERE units IS NOT NULL
      UNION ALL
      SELECT ${salesDaily.asin}, ${salesDaily.marketplaceId}, sum(${salesDaily.units}), sum(${salesDaily.revenue}),
             sum(${salesDaily.revenue} - ${salesDaily.refunds} - ${salesDaily.fees} - ${salesDaily.cogs})
      FROM ${salesDaily} WHERE ${salesDaily.tenantId} = ${tenantId}
        AND ${salesDaily.date} BETWEEN ${start}::date AND ${today}::date AND NOT (SELECT ok FROM fresh)
      GROUP BY 1, 2
    ),
    h AS (
      SELECT asin, marketplace_id, sum(n) AS in_stock_days FROM (
        SELECT asin, marketplace_id, in_stock_days AS n FROM w
        UNION ALL
        SELECT ${inv.asin}, ${inv.marketplaceId}, count(*) FILTER (WHERE ${inv.fulfillable} > 0)
        FROM ${inv} WHERE ${inv.tenantId} = ${tenantId} AND ${inv.date} <= ${today}::date
          AND ${inv.date} >= CASE WHEN (SELECT ok FROM fresh) THEN ${yesterday}::date ELSE ${start}::date END
        GROUP BY 1, 2
      ) x GROUP BY 1, 2
    )`;
}

/** Columns of `pm` every product response maps (see `ProductRow` and `toProduct`). */
export const productColumns = sql`${pm.id} AS id, ${pm.asin} AS asin, ${pm.marketplaceId} AS marketplace_id,
  ${pm.sku} AS sku, ${pm.title} AS title, ${pm.brand} AS brand, ${pm.category} AS category,
  ${pm.imageUrl} AS image_url, ${pm.fulfillmentChannel} AS fulfillment_channel, ${pm.price}::text AS price,
  trim(${pm.currency}) AS currency, ${pm.cost}::text AS cost, ${pm.fbaStock} AS fba_stock,
  ${pm.fbmStock} AS fbm_stock, ${pm.inboundStock} AS inbound_stock, ${pm.reservedStock} AS reserved_stock,
  ${pm.totalStock} AS total_stock, ${pm}.available::int AS available, ${pm.salesRank} AS sales_rank,
  ${pm.buyBoxStatus} AS buy_box_status, ${pm.buyBoxPrice}::text AS buy_box_price, ${pm.isActive} AS is_active,
  ${pm.listingStatus} AS listing_status, ${pm.minStockAlert} AS min_stock_alert, ${pm.maxStock} AS max_stock,
  ${pm.targetMargin}::text AS target_margin, ${pm.leadTimeDays} AS lead_time_days,
  ${pm.safetyStockDays} AS safety_stock_days, ${pm.notes} AS notes, ${pm.tags} AS tags,
  ${pm.customFields} AS custom_fields, ${pm.lastSyncAt} AS last_sync_at, ${pm.updatedAt} AS updated_at,
  ${pm}.units30::int AS units30, ${pm}.revenue30::text AS revenue30, ${pm}.profit30::text AS profit30,
  ${pm}.margin::text AS margin, round(${pm}.velocity, 2)::text AS velocity, ${pm}.velocity::text AS velocity_exact,
  round(${pm}.days_of_stock, 1)::text AS days_of_stock, ${pm}.stock_level AS stock_level`;
