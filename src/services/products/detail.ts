import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { queryRows } from '../../db/client';
import { addDays, todayIn, toIso } from '../../lib/dates';
import { NotFoundError } from '../../lib/errors';
import { decimal, money } from '../../lib/money';
import { tenantPrefs } from '../tenant/prefs';
import { type ProductRow, toProduct } from './map';
import { productColumns, productMetricsCte } from './metrics-sql';

/** Days of stock a restock order should cover after it arrives. */
export const RESTOCK_COVER_DAYS = 30;
const HISTORY_DAYS = 90;

export async function findProductRow(
  db: Database,
  tenantId: string,
  asin: string,
  marketplaceId: string | undefined,
  today: string,
) {
  const [row] = await queryRows<ProductRow>(
    db,
    sql`WITH ${productMetricsCte(tenantId, today)} SELECT ${productColumns} FROM pm
        WHERE pm.asin = ${asin} ${marketplaceId ? sql`AND pm.marketplace_id = ${marketplaceId}` : sql``}
        ORDER BY pm.updated_at DESC LIMIT 1`,
  );
  if (!row) throw new NotFoundError('Product not found');
  return row;
}

export async function getProductDetail({
  db,
  tenantId,
  asin,
  marketplaceId,
}: {
  db: Database;
  tenantId: string;
  asin: string;
  marketplaceId?: string;
}) {
  const prefs = await tenantPrefs(db, tenantId);
  const today = todayIn(prefs.timezone);
  const row = await findProductRow(db, tenantId, asin, marketplaceId, today);
  const product = toProduct(row, prefs.currency);
  const mkt = product.marketplaceId;
  const cur = product.currency;
  const from90 = addDays(today, -(HISTORY_DAYS - 1));
  const from30 = addDays(today, -29);

  const [totals, sales, stock, prices, competitors] = await Promise.all([
    queryRows<{
      sales30: string;
      sales90: string;
      units30: number;
      units90: number;
      fees90: string;
      revenue90: string;
    }>(
      db,
      sql`SELECT coalesce(sum(revenue) FILTER (WHERE date >= ${from30}::date), 0)::text AS sales30,
                 coalesce(sum(revenue), 0)::text AS sales90,
                 coalesce(sum(units) FILTER (WHERE date >= ${from30}::date), 0)::int AS units30,
                 coalesce(sum(units), 0)::int AS units90,
                 coalesce(sum(fees), 0)::text AS fees90, coalesce(sum(revenue), 0)::text AS revenue90
          FROM sales_daily WHERE tenant_id = ${tenantId} AND asin = ${asin} AND marketplace_id = ${mkt}
            AND date BETWEEN ${from90}::date AND ${today}::date`,
    ),
    queryRows<{ date: string; revenue: string; units: number }>(
      db,
      sql`SELECT to_char(date, 'YYYY-MM-DD') AS date, revenue::text AS revenue, units FROM sales_daily
          WHERE tenant_id = ${tenantId} AND asin = ${asin} AND marketplace_id = ${mkt}
            AND date BETWEEN ${from90}::date AND ${today}::date ORDER BY date`,
    ),
    queryRows<{ date: string; fulfillable: number; total: number }>(
      db,
      sql`SELECT to_char(date, 'YYYY-MM-DD') AS date, fulfillable, total FROM inventory_history
          WHERE tenant_id = ${tenantId} AND asin = ${asin} AND marketplace_id = ${mkt}
            AND date BETWEEN ${from90}::date AND ${today}::date ORDER BY date`,
    ),
    // Last capture of each local day.
    queryRows<{ date: string; price: string | null; buy_box: string | null; rank: number | null }>(
      db,
      sql`SELECT DISTINCT ON (d) to_char(d, 'YYYY-MM-DD') AS date, our_price::text AS price,
                 buy_box_price::text AS buy_box, sales_rank AS rank
          FROM (SELECT (captured_at AT TIME ZONE ${prefs.timezone})::date AS d, * FROM price_history
                WHERE tenant_id = ${tenantId} AND asin = ${asin} AND marketplace_id = ${mkt}
                  AND captured_at >= (${from90}::date::timestamp AT TIME ZONE ${prefs.timezone})) x
          ORDER BY d, captured_at DESC`,
    ),
    queryRows<{
      seller_id: string;
      price: string;
      shipping: string | null;
      currency: string;
      is_buy_box_winner: boolean;
      is_fba: boolean;
      feedback_rating: string | null;
      captured_at: unknown;
    }>(
      db,
      sql`SELECT seller_id, price::text AS price, shipping::text AS shipping, trim(currency) AS currency,
                 is_buy_box_winner, is_fba, feedback_rating::text AS feedback_rating, captured_at
          FROM competitor_offers WHERE tenant_id = ${tenantId} AND asin = ${asin} AND marketplace_id = ${mkt}
          ORDER BY price, seller_id`,
    ),
  ]);
  const t = totals[0]!;
  const compStats = await queryRows<{ lowest: string | null; average: string | null }>(
    db,
    sql`SELECT min(price)::text AS lowest, round(avg(price), 2)::text AS average FROM competitor_offers
        WHERE tenant_id = ${tenantId} AND asin = ${asin} AND marketplace_id = ${mkt} AND trim(currency) = ${cur}`,
  );
  const rankSeries = prices
    .filter((p) => p.rank !== null)
    .map((p) => ({ date: p.date, value: p.rank as number }));

  return {
    product,
    metrics: {
      sales30d: money(t.sales30, cur),
      sales90d: money(t.sales90, cur),
      units30d: t.units30,
      units90d: t.units90,
      velocity: product.metrics.velocity,
      daysOfStock: product.metrics.daysOfStock,
      stockLevel: product.metrics.stockLevel,
      rankHistory: rankSeries,
    },
    history: {
      price: prices
        .filter((p) => p.price !== null)
        .map((p) => ({ date: p.date, value: money(p.price, cur) })),
      stock: stock.map((s) => ({ date: s.date, value: s.fulfillable, total: s.total })),
      sales: sales.map((s) => ({ date: s.date, value: money(s.revenue, cur), units: s.units })),
      rank: rankSeries,
    },
    competitors: {
      count: competitors.length,
      lowestPrice: compStats[0]?.lowest ? money(compStats[0].lowest, cur) : null,
      averagePrice: compStats[0]?.average ? money(compStats[0].average, cur) : null,
      sellers: competitors.map((o) => ({
        sellerId: o.seller_id,
        price: money(o.price, o.currency),
        shipping: o.shipping === null ? null : money(o.shipping, o.currency),
        isBuyBoxWinner: o.is_buy_box_winner,
        isFba: o.is_fba,
        feedbackRating: o.feedback_rating === null ? null : Number(o.feedback_rating),
        capturedAt: toIso(o.captured_at),
      })),
    },
    recommendations: await recommend(db, row, today, t),
  };
}

/**
 * restockDate     = today + (daysOfStock − leadTime − safetyStock), not before today.
 * restockQuantity = velocity × (leadTime + safetyStock + 30 days of cover) − available − inbound,
 *                   rounded up, at least 0, capped so stock does not exceed maxStock.
 * targetPrice     = cost / (1 − targetMargin/100 − feeRate), feeRate = fees / revenue over 90 days.
 */
async function recommend(
  db: Database,
  row: ProductRow,
  today: string,
  t: { fees90: string; revenue90: string },
) {
  const [r] = await queryRows<{
    days_until: number | null;
    qty: number | null;
    target: string | null;
    fee_rate: string | null;
  }>(
    db,
    sql`WITH v AS (SELECT ${row.velocity_exact as string}::numeric AS vel, ${row.available as number}::int AS avail,
                          ${row.inbound_stock as number}::int AS inbound, ${row.lead_time_days as number}::int AS lead,
                          ${row.safety_stock_days as number}::int AS safety, ${row.max_stock as number | null}::int AS max_stock,
                          ${row.cost as string | null}::numeric AS cost, ${row.target_margin as string | null}::numeric AS tm,
                          CASE WHEN ${t.revenue90}::numeric > 0 THEN ${t.fees90}::numeric / ${t.revenue90}::numeric END AS fee_rate)
        SELECT CASE WHEN vel > 0 THEN greatest(0, floor(avail / vel - lead - safety))::int END AS days_until,
               CASE WHEN vel > 0 THEN
                 least(greatest(0, ceil(vel * (lead + safety + ${RESTOCK_COVER_DAYS}) - avail - inbound)),
                       CASE WHEN max_stock IS NULL THEN NULL ELSE greatest(0, max_stock - avail - inbound) END)::int
               END AS qty,
               CASE WHEN cost IS NOT NULL AND tm IS NOT NULL AND fee_rate IS NOT NULL AND 1 - tm / 100 - fee_rate > 0
                    THEN round(cost / (1 - tm / 100 - fee_rate), 2)::text END AS target,
               round(fee_rate, 4)::text AS fee_rate
        FROM v`,
  );
  const warnings: string[] = [];
  const velocity = Number(row.velocity);
  const dos = row.days_of_stock === null ? null : Number(row.days_of_stock);
  const lead = row.lead_time_days as number;
  if (Number(row.available) === 0) warnings.push('Out of stock: every day without stock loses sales.');
  else if (dos !== null && dos < lead)
    warnings.push(
      `Stock lasts about ${Math.floor(dos)} days, less than the ${lead}-day lead time: restock now.`,
    );
  if (row.buy_box_status === 'lost')
    warnings.push('The buy box is lost: check the competing offers and your price.');
  if (row.cost === null) warnings.push('No unit cost set: profit, margin and target price need it.');
  if (row.target_margin !== null && row.margin !== null && Number(row.margin) < Number(row.target_margin))
    warnings.push(
      `The 30-day margin (${decimal(row.margin as string)}%) is below the ${decimal(row.target_margin as string)}% target.`,
    );
  const currency = (row.currency as string | null) ?? '';
  return {
    restockDate: r?.days_until === null || r?.days_until === undefined ? null : addDays(today, r.days_until),
    restockQuantity: r?.qty ?? null,
    targetPrice: r?.target ? money(r.target, currency) : null,
    feeRate: r?.fee_rate === null || r?.fee_rate === undefined ? null : Number(r.fee_rate),
    basis: {
      velocity,
      leadTimeDays: lead,
      safetyStockDays: row.safety_stock_days as number,
      coverDays: RESTOCK_COVER_DAYS,
    },
    warnings,
  };
}
