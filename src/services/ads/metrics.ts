import { type SQL, sql } from 'drizzle-orm';
import type { adMetricsDaily, adMetricsHourly } from '../../db/schema';
import { divide, money, percentOf } from '../../lib/money';

/** Metric sums as text (exact numerics and bigints whatever the driver); null where nothing matched. */
export type AdMetricSums = {
  impressions: string | null;
  clicks: string | null;
  spend: string | null;
  sales: string | null;
  orders: string | null;
  units: string | null;
};

export type AdMetricsTable = typeof adMetricsDaily | typeof adMetricsHourly;

/** The `AdMetricSums` columns summed over a daily or hourly metrics table. */
export function adSums(metrics: AdMetricsTable): SQL {
  return sql`coalesce(sum(${metrics.impressions}), 0)::text AS impressions, coalesce(sum(${metrics.clicks}), 0)::text AS clicks,
    coalesce(sum(${metrics.cost}), 0)::text AS spend, coalesce(sum(${metrics.sales7d}), 0)::text AS sales,
    coalesce(sum(${metrics.orders7d}), 0)::text AS orders, coalesce(sum(${metrics.units7d}), 0)::text AS units`;
}

/**
 * ACoS = spend / sales × 100; ROAS = sales / spend; CTR = clicks / impressions × 100;
 * CPC = spend / clicks; conversion = orders / clicks × 100 (7-day attribution).
 */
export function adMetrics(sums: AdMetricSums, currency: string) {
  const roas = divide(sums.sales, sums.spend);
  const cpc = divide(sums.spend, sums.clicks);
  return {
    impressions: Number(sums.impressions ?? 0),
    clicks: Number(sums.clicks ?? 0),
    spend: money(sums.spend, currency),
    sales: money(sums.sales, currency),
    orders: Number(sums.orders ?? 0),
    units: Number(sums.units ?? 0),
    acos: percentOf(sums.spend, sums.sales),
    roas: roas === null ? null : Number(roas),
    ctr: percentOf(sums.clicks, sums.impressions),
    cpc: cpc === null ? null : money(cpc, currency),
    conversionRate: percentOf(sums.orders, sums.clicks),
  };
}
