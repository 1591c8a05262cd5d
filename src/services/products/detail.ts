import { and, asc, between, eq, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { queryRows } from '../../db/client';
import { competitorOffers, inventoryHistory, priceHistory, salesDaily } from '../../db/schema';
import { addDays, todayIn, toIso } from '../../lib/dates';
import { NotFoundError } from '../../lib/errors';
import { decimal, money } from '../../lib/money';
import type { TenantContext } from '../context';
import { type ProductRow, toProduct } from './map';
import { pm, productColumns, productMetricsCte } from './metrics-sql';

/** Days of stock a restock order should cover after it arrives. */
export const RESTOCK_COVER_DAYS = 30;
const HISTORY_DAYS = 90;

type ProductContext = Pick<TenantContext, 'db' | 'tenant'>;

/** One marketplace listing of the tenant. */
interface Listing {
  tenantId: string;
  asin: string;
  marketplaceId: string;
}

type SalesTotalsRow = {
  sales30: string;
  sales90: string;
  units30: number;
  units90: number;
  fees90: string;
  revenue90: string;
};

type DailyPriceRow = {
  date: string;
  price: string | null;
  buy_box: string | null;
  rank: number | null;
};

type CompetitorStatsRow = {
  lowest: string | null;
  average: string | null;
};

type RecommendationRow = {
  days_until: number | null;
  qty: number | null;
  target: string | null;
  fee_rate: string | null;
};

/** The listing of `asin` in `marketplaceId`, or its most recently updated listing when none is given. */
export async function findProductRow(
  ctx: ProductContext,
  input: { asin: string; marketplaceId?: string; today: string },
): Promise<ProductRow> {
  const [row] = await queryRows<ProductRow>(
    ctx.db,
    sql`WITH ${productMetricsCte(ctx.tenant.id, input.today)} SELECT ${productColumns} FROM ${pm}
        WHERE ${pm.asin} = ${input.asin} ${input.marketplaceId ? sql`AND ${pm.marketplaceId} = ${input.marketplaceId}` : sql``}
        ORDER BY ${pm.updatedAt} DESC LIMIT 1`,
  );
  if (!row) throw new NotFoundError('Product not found');
  return row;
}

/** The rows of one listing in a per-listing table. */
function ofListing(
  table: { tenantId: AnyPgColumn; asin: AnyPgColumn; marketplaceId: AnyPgColumn },
  l: Listing,
): SQL {
  return sql.join(
    [eq(table.tenantId, l.tenantId), eq(table.asin, l.asin), eq(table.marketplaceId, l.marketplaceId)],
    sql` AND `,
  );
}

async function salesTotals(ctx: ProductContext, l: Listing, today: string): Promise<SalesTotalsRow> {
  const from30 = addDays(today, -29);
  const from90 = addDays(today, -(HISTORY_DAYS - 1));
  const [row] = await queryRows<SalesTotalsRow>(
    ctx.db,
    sql`SELECT coalesce(sum(${salesDaily.revenue}) FILTER (WHERE ${salesDaily.date} >= ${from30}::date), 0)::text AS sales30,
               coalesce(sum(${salesDaily.revenue}), 0)::text AS sales90,
               coalesce(sum(${salesDaily.units}) FILTER (WHERE ${salesDaily.date} >= ${from30}::date), 0)::int AS units30,
               coalesce(sum(${salesDaily.units}), 0)::int AS units90,
               coalesce(sum(${salesDaily.fees}), 0)::text AS fees90,
               coalesce(sum(${salesDaily.revenue}), 0)::text AS revenue90
        FROM ${salesDaily}
        WHERE ${ofListing(salesDaily, l)} AND ${salesDaily.date} BETWEEN ${from90}::date AND ${today}::date`,
  );
  // An aggregate without GROUP BY always returns its one row.
  return row!;
}

/** Daily sales, stock and (last capture of each local day) price and rank over the history window. */
function histories(ctx: ProductContext, l: Listing, today: string) {
  const from90 = addDays(today, -(HISTORY_DAYS - 1));
  const tz = ctx.tenant.timezone;
  return Promise.all([
    ctx.db
      .select({ date: salesDaily.date, revenue: salesDaily.revenue, units: salesDaily.units })
      .from(salesDaily)
      .where(and(ofListing(salesDaily, l), between(salesDaily.date, from90, today)))
      .orderBy(asc(salesDaily.date)),
    ctx.db
      .select({
        date: inventoryHistory.date,
        fulfillable: inventoryHistory.fulfillable,
        total: inventoryHistory.total,
      })
      .from(inventoryHistory)
      .where(and(ofListing(inventoryHistory, l), between(inventoryHistory.date, from90, today)))
      .orderBy(asc(inventoryHistory.date)),
    queryRows<DailyPriceRow>(
      ctx.db,
      sql`SELECT DISTINCT ON (d) to_char(d, 'YYYY-MM-DD') AS date, our_price::text AS price,
                 buy_box_price::text AS buy_box, sales_rank AS rank
          FROM (SELECT (${priceHistory.capturedAt} AT TIME ZONE ${tz})::date AS d,
                       ${priceHistory.capturedAt} AS captured_at, ${priceHistory.ourPrice} AS our_price,
                       ${priceHistory.buyBoxPrice} AS buy_box_price, ${priceHistory.salesRank} AS sales_rank
                FROM ${priceHistory}
                WHERE ${ofListing(priceHistory, l)}
                  AND ${priceHistory.capturedAt} >= (${from90}::date::timestamp AT TIME ZONE ${tz})) x
          ORDER BY d, captured_at DESC`,
    ),
  ]);
}

/** Every competing offer, cheapest first, and the lowest and average price in the listing's currency. */
function competition(ctx: ProductContext, l: Listing, currency: string) {
  return Promise.all([
    ctx.db
      .select({
        sellerId: competitorOffers.sellerId,
        price: competitorOffers.price,
        shipping: competitorOffers.shipping,
        currency: competitorOffers.currency,
        isBuyBoxWinner: competitorOffers.isBuyBoxWinner,
        isFba: competitorOffers.isFba,
        feedbackRating: competitorOffers.feedbackRating,
        capturedAt: competitorOffers.capturedAt,
      })
      .from(competitorOffers)
      .where(ofListing(competitorOffers, l))
      .orderBy(asc(competitorOffers.price), asc(competitorOffers.sellerId)),
    queryRows<CompetitorStatsRow>(
      ctx.db,
      sql`SELECT min(${competitorOffers.price})::text AS lowest,
                 round(avg(${competitorOffers.price}), 2)::text AS average
          FROM ${competitorOffers}
          WHERE ${ofListing(competitorOffers, l)} AND trim(${competitorOffers.currency}) = ${currency}`,
    ),
  ]);
}

type Offer = Awaited<ReturnType<typeof competition>>[0][number];

function toSeller(o: Offer) {
  // char(3): padded by the database.
  const currency = o.currency.trim();
  return {
    sellerId: o.sellerId,
    price: money(o.price, currency),
    shipping: o.shipping === null ? null : money(o.shipping, currency),
    isBuyBoxWinner: o.isBuyBoxWinner,
    isFba: o.isFba,
    feedbackRating: o.feedbackRating === null ? null : Number(o.feedbackRating),
    capturedAt: toIso(o.capturedAt),
  };
}

/** One product: 30/90-day sales, daily history, competing offers and restock/price recommendations. */
export async function getProductDetail(ctx: ProductContext, input: { asin: string; marketplaceId?: string }) {
  const today = todayIn(ctx.tenant.timezone);
  const row = await findProductRow(ctx, { ...input, today });
  const product = toProduct(row, ctx.tenant.currency);
  const cur = product.currency;
  const listing = { tenantId: ctx.tenant.id, asin: input.asin, marketplaceId: product.marketplaceId };
  const [totals, [sales, stock, prices], [offers, [stats]]] = await Promise.all([
    salesTotals(ctx, listing, today),
    histories(ctx, listing, today),
    competition(ctx, listing, cur),
  ]);
  const rankSeries = prices.flatMap((p) => (p.rank === null ? [] : [{ date: p.date, value: p.rank }]));
  return {
    product,
    metrics: {
      sales30d: money(totals.sales30, cur),
      sales90d: money(totals.sales90, cur),
      units30d: totals.units30,
      units90d: totals.units90,
      velocity: product.metrics.velocity,
      daysOfStock: product.metrics.daysOfStock,
      stockLevel: product.metrics.stockLevel,
      rankHistory: rankSeries,
    },
    history: {
      price: prices.flatMap((p) => (p.price === null ? [] : [{ date: p.date, value: money(p.price, cur) }])),
      stock: stock.map((s) => ({ date: s.date, value: s.fulfillable, total: s.total })),
      sales: sales.map((s) => ({ date: s.date, value: money(s.revenue, cur), units: s.units })),
      rank: rankSeries,
    },
    competitors: {
      count: offers.length,
      lowestPrice: stats?.lowest ? money(stats.lowest, cur) : null,
      averagePrice: stats?.average ? money(stats.average, cur) : null,
      sellers: offers.map(toSeller),
    },
    recommendations: await recommend(ctx, row, today, totals),
  };
}

/** Why the listing needs attention, in the order a seller should act on it. */
export function productWarnings(row: ProductRow): string[] {
  const warnings: string[] = [];
  const dos = row.days_of_stock === null ? null : Number(row.days_of_stock);
  const lead = row.lead_time_days;
  if (row.available === 0) warnings.push('Out of stock: every day without stock loses sales.');
  else if (dos !== null && dos < lead)
    warnings.push(
      `Stock lasts about ${Math.floor(dos)} days, less than the ${lead}-day lead time: restock now.`,
    );
  if (row.buy_box_status === 'lost')
    warnings.push('The buy box is lost: check the competing offers and your price.');
  if (row.cost === null) warnings.push('No unit cost set: profit, margin and target price need it.');
  if (row.target_margin !== null && row.margin !== null && Number(row.margin) < Number(row.target_margin))
    warnings.push(
      `The 30-day margin (${decimal(row.margin)}%) is below the ${decimal(row.target_margin)}% target.`,
    );
  return warnings;
}

/**
 * restockDate     = today + (daysOfStock − leadTime − safetyStock), not before today.
 * restockQuantity = velocity × (leadTime + safetyStock + 30 days of cover) − available − inbound,
 *                   rounded up, at least 0, capped so stock does not exceed maxStock.
 * targetPrice     = cost / (1 − targetMargin/100 − feeRate), feeRate = fees / revenue over 90 days.
 */
async function recommend(
  ctx: ProductContext,
  row: ProductRow,
  today: string,
  t: { fees90: string; revenue90: string },
) {
  const [r] = await queryRows<RecommendationRow>(
    ctx.db,
    sql`WITH v AS (SELECT ${row.velocity_exact}::numeric AS vel, ${row.available}::int AS avail,
                          ${row.inbound_stock}::int AS inbound, ${row.lead_time_days}::int AS lead,
                          ${row.safety_stock_days}::int AS safety, ${row.max_stock}::int AS max_stock,
                          ${row.cost}::numeric AS cost, ${row.target_margin}::numeric AS tm,
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
  return {
    restockDate: r && r.days_until !== null ? addDays(today, r.days_until) : null,
    restockQuantity: r?.qty ?? null,
    targetPrice: r?.target ? money(r.target, row.currency ?? '') : null,
    feeRate: r && r.fee_rate !== null ? Number(r.fee_rate) : null,
    basis: {
      velocity: Number(row.velocity),
      leadTimeDays: row.lead_time_days,
      safetyStockDays: row.safety_stock_days,
      coverDays: RESTOCK_COVER_DAYS,
    },
    warnings: productWarnings(row),
  };
}
