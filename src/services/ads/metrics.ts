import { sql } from 'drizzle-orm';
import { divide, money, percentOf } from '../../lib/money';

export type RawAdMetrics = {
  impressions: string | number | null;
  clicks: string | number | null;
  spend: string | null;
  sales: string | null;
  orders: string | number | null;
  units: string | number | null;
};

/** Sums of the metric columns, as text so numerics stay exact. */
export const AD_SUMS =
  sql.raw(`coalesce(sum(impressions), 0)::text AS impressions, coalesce(sum(clicks), 0)::text AS clicks,
  coalesce(sum(cost), 0)::text AS spend, coalesce(sum(sales_7d), 0)::text AS sales,
  coalesce(sum(orders_7d), 0)::text AS orders, coalesce(sum(units_7d), 0)::text AS units`);

/**
 * ACoS = spend / sales × 100; ROAS = sales / spend; CTR = clicks / impressions × 100;
 * CPC = spend / clicks; conversion = orders / clicks × 100 (7-day attribution).
 */
export function adMetrics(r: RawAdMetrics, currency: string) {
  const s = (v: string | number | null) => (v === null ? '0' : String(v));
  const roas = divide(s(r.sales), s(r.spend));
  const cpc = divide(s(r.spend), s(r.clicks));
  return {
    impressions: Number(r.impressions ?? 0),
    clicks: Number(r.clicks ?? 0),
    spend: money(s(r.spend), currency),
    sales: money(s(r.sales), currency),
    orders: Number(r.orders ?? 0),
    units: Number(r.units ?? 0),
    acos: percentOf(s(r.spend), s(r.sales)),
    roas: roas === null ? null : Number(roas),
    ctr: percentOf(s(r.clicks), s(r.impressions)),
    cpc: cpc === null ? null : money(cpc, currency),
    conversionRate: percentOf(s(r.orders), s(r.clicks)),
  };
}
