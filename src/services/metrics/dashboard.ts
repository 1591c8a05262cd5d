import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { queryRows } from '../../db/client';
import { localDayWindow } from '../../db/local-days';
import {
  adMetricsDaily,
  adProfiles,
  financeEvents,
  products,
  salesDaily,
  salesGeoDaily,
  salesHourly,
  salesTenantDaily,
} from '../../db/schema';
import { addDays, assertRange, comparisonRange, type DayRange } from '../../lib/dates';
import { ValidationError } from '../../lib/errors';
import { divide, money, percentChange, percentOf, sub, sum, toUnits } from '../../lib/money';
import { activeAlertSummary } from '../alerts/summary';
import type { TenantContext } from '../context';
import { accountLevelEvents } from '../finance/statement';

export interface DashboardInput extends DayRange {
  marketplaceId?: string;
  comparison?: 'previous_period' | 'previous_year' | 'custom';
  comparisonStartDate?: string;
  comparisonEndDate?: string;
  currency?: string;
}

type DashboardContext = Pick<TenantContext, 'db' | 'tenant'>;

/** What every dashboard query filters on besides the tenant and the days. */
interface DashboardFilter {
  currency: string;
  marketplaceId?: string;
}

interface PeriodTotals {
  revenue: string;
  refunds: string;
  fees: string;
  cogs: string;
  units: number;
  orders: number;
  adSpend: string;
  adSales: string;
  adClicks: number;
  adOrders: number;
  accountCosts: string;
  profit: string;
}

type DayRow = {
  date: string;
  revenue: string;
  refunds: string;
  fees: string;
  cogs: string;
  units: number;
  profit: string;
  orders: number;
};

/** Dashboard for tenant-local days [start, end], read from the rollup tables. */
export async function dashboard(ctx: DashboardContext, input: DashboardInput) {
  assertRange(input);
  const comp = resolveComparison(input);
  const filter: DashboardFilter = {
    currency: input.currency ?? ctx.tenant.currency,
    marketplaceId: input.marketplaceId,
  };
  const range = { start: input.start, end: input.end };
  const [days, currentCosts, previousCosts, chartData, alerts] = await Promise.all([
    dayRows(ctx, filter, comp ? [range, comp] : [range]),
    periodCosts(ctx, filter, range),
    comp ? periodCosts(ctx, filter, comp) : null,
    charts(ctx, filter, range),
    activeAlertSummary(ctx),
  ]);
  const cur = periodTotals(range, days, currentCosts);
  const prev = comp && previousCosts ? periodTotals(comp, days, previousCosts) : null;
  const { currency } = filter;
  return {
    currency,
    timezone: ctx.tenant.timezone,
    period: {
      current: periodView(range, cur, currency),
      ...(comp && prev && { previous: periodView(comp, prev, currency), change: periodChange(cur, prev) }),
    },
    kpis: kpis(cur, prev, currency),
    charts: { salesTrend: salesTrend(range, days, currency), ...chartData },
    alerts,
  };
}

/** Percent change of the headline totals against the comparison period. */
function periodChange(cur: PeriodTotals, prev: PeriodTotals) {
  return {
    revenue: percentChange(cur.revenue, prev.revenue),
    orders: percentChange(String(cur.orders), String(prev.orders)),
    units: percentChange(String(cur.units), String(prev.units)),
    profit: percentChange(cur.profit, prev.profit),
    adSpend: percentChange(cur.adSpend, prev.adSpend),
  };
}

function resolveComparison(input: DashboardInput): DayRange | null {
  if (!input.comparison) return null;
  if (input.comparison !== 'custom') return comparisonRange(input, input.comparison);
  if (!input.comparisonStartDate || !input.comparisonEndDate)
    throw new ValidationError(
      'comparisonStartDate and comparisonEndDate are required when comparison=custom',
      [
        {
          field: 'query.comparisonStartDate',
          message: 'required for comparison=custom',
          code: 'invalid_type',
        },
      ],
    );
  const range = { start: input.comparisonStartDate, end: input.comparisonEndDate };
  assertRange(range, undefined, ['comparisonStartDate', 'comparisonEndDate']);
  return range;
}

/** `AND <column> = …` when the dashboard is narrowed to one marketplace. */
const inMarketplace = (filter: DashboardFilter, column: PgColumn) =>
  filter.marketplaceId ? sql`AND ${column} = ${filter.marketplaceId}` : sql``;

/**
 * A period's totals: sums of the per-day rollup rows (sales_tenant_daily) on its days, plus its ad
 * and account-level costs.
 */
function periodTotals(range: DayRange, days: DayRow[], costs: PeriodCosts): PeriodTotals {
  const inPeriod = days.filter((d) => d.date >= range.start && d.date <= range.end);
  const totals = {
    revenue: sum(...inPeriod.map((d) => d.revenue)),
    refunds: sum(...inPeriod.map((d) => d.refunds)),
    fees: sum(...inPeriod.map((d) => d.fees)),
    cogs: sum(...inPeriod.map((d) => d.cogs)),
    units: inPeriod.reduce((a, d) => a + d.units, 0),
    orders: inPeriod.reduce((a, d) => a + d.orders, 0),
    adSpend: costs.ads?.spend ?? '0',
    adSales: costs.ads?.sales ?? '0',
    adClicks: costs.ads?.clicks ?? 0,
    adOrders: costs.ads?.orders ?? 0,
    accountCosts: costs.account ?? '0',
  };
  const { refunds, fees, cogs, adSpend, accountCosts } = totals;
  return { ...totals, profit: sub(totals.revenue, sum(refunds, fees, cogs, adSpend, accountCosts)) };
}

/** Per-day totals of the tenant on the days of every period (they may overlap). */
function dayRows(ctx: DashboardContext, filter: DashboardFilter, ranges: DayRange[]) {
  const daily = salesTenantDaily;
  const onDays = sql.join(
    ranges.map((r) => sql`${daily.date} BETWEEN ${r.start}::date AND ${r.end}::date`),
    sql` OR `,
  );
  return queryRows<DayRow>(
    ctx.db,
    sql`SELECT to_char(${daily.date}, 'YYYY-MM-DD') AS date, sum(${daily.revenue})::text AS revenue,
               sum(${daily.refunds})::text AS refunds, sum(${daily.fees})::text AS fees, sum(${daily.cogs})::text AS cogs,
               sum(${daily.units})::int AS units, sum(${daily.revenue} - ${daily.refunds} - ${daily.fees} - ${daily.cogs})::text AS profit,
               sum(${daily.orders})::int AS orders
        FROM ${daily}
        WHERE ${daily.tenantId} = ${ctx.tenant.id} AND (${onDays}) AND trim(${daily.currency}) = ${filter.currency}
          ${inMarketplace(filter, daily.marketplaceId)}
        GROUP BY ${daily.date}`,
  );
}

interface PeriodCosts {
  ads: AdTotalsRow | undefined;
  account: string | null;
}

async function periodCosts(
  ctx: DashboardContext,
  filter: DashboardFilter,
  range: DayRange,
): Promise<PeriodCosts> {
  const [ads, account] = await Promise.all([adTotals(ctx, filter, range), accountCosts(ctx, filter, range)]);
  return { ads, account };
}

type AdTotalsRow = {
  spend: string | null;
  sales: string | null;
  clicks: number | null;
  orders: number | null;
};

/** Campaign-level ad totals of one period (profiles of the marketplace when narrowed to one). */
async function adTotals(ctx: DashboardContext, filter: DashboardFilter, range: DayRange) {
  const ads = adMetricsDaily;
  const profiles = filter.marketplaceId
    ? sql`AND ${ads.profileId} IN (SELECT ${adProfiles.profileId} FROM ${adProfiles}
            WHERE ${adProfiles.tenantId} = ${ctx.tenant.id} AND ${adProfiles.marketplaceId} = ${filter.marketplaceId})`
    : sql``;
  const [row] = await queryRows<AdTotalsRow>(
    ctx.db,
    sql`SELECT sum(${ads.cost})::text AS spend, sum(${ads.sales7d})::text AS sales,
               sum(${ads.clicks})::int AS clicks, sum(${ads.orders7d})::int AS orders
        FROM ${ads}
        WHERE ${ads.tenantId} = ${ctx.tenant.id} AND ${ads.level} = 'campaign'
          AND ${ads.date} BETWEEN ${range.start}::date AND ${range.end}::date
          AND trim(coalesce(${ads.currency}, ${ctx.tenant.currency})) = ${filter.currency} ${profiles}`,
  );
  return row;
}

/** Account-level fees, shipping and other money movements posted in one period. */
async function accountCosts(ctx: DashboardContext, filter: DashboardFilter, range: DayRange) {
  const fe = financeEvents;
  const [row] = await queryRows<{ amount: string | null }>(
    ctx.db,
    sql`SELECT (-sum(${fe.amount}))::text AS amount
        FROM ${fe}
        WHERE ${fe.tenantId} = ${ctx.tenant.id}
          AND ${localDayWindow(sql`${fe.postedDate}`, ctx.tenant.timezone, range.start, range.end)}
          AND trim(${fe.currency}) = ${filter.currency} ${inMarketplace(filter, fe.marketplaceId)}
          AND ${accountLevelEvents()}`,
  );
  return row?.amount ?? null;
}

function kpis(cur: PeriodTotals, prev: PeriodTotals | null, currency: string) {
  const moneyKpi = (a: string, b?: string) => ({
    value: money(a, currency),
    ...(b !== undefined && { previous: money(b, currency), change: percentChange(a, b) }),
  });
  const countKpi = (a: number, b?: number) => ({
    value: a,
    ...(b !== undefined && { previous: b, change: percentChange(String(a), String(b)) }),
  });
  // Rates change in percentage points.
  const rateKpi = (a: number | null, b?: number | null) => ({
    value: a,
    ...(b !== undefined && {
      previous: b,
      change: a === null || b === null ? null : Number(sub(String(a), String(b))),
    }),
  });
  const acos = (t: PeriodTotals) => percentOf(t.adSpend, t.adSales);
  const conversion = (t: PeriodTotals) => percentOf(String(t.adOrders), String(t.adClicks));
  const aov = (t: PeriodTotals) => divide(t.revenue, String(t.orders)) ?? '0';
  return {
    revenue: moneyKpi(cur.revenue, prev?.revenue),
    orders: countKpi(cur.orders, prev?.orders),
    profit: moneyKpi(cur.profit, prev?.profit),
    acos: rateKpi(acos(cur), prev ? acos(prev) : undefined),
    conversion: rateKpi(conversion(cur), prev ? conversion(prev) : undefined),
    avgOrderValue: moneyKpi(aov(cur), prev ? aov(prev) : undefined),
  };
}

function periodView(range: DayRange, t: PeriodTotals, currency: string) {
  const m = (v: string) => money(v, currency);
  return {
    startDate: range.start,
    endDate: range.end,
    revenue: m(t.revenue),
    orders: t.orders,
    units: t.units,
    refunds: m(t.refunds),
    amazonFees: m(t.fees),
    cogs: m(t.cogs),
    adSpend: m(t.adSpend),
    adSales: m(t.adSales),
    accountCosts: m(t.accountCosts),
    profit: m(t.profit),
  };
}

/** Every day of the range, with zeros for days without sales. */
function salesTrend(range: DayRange, days: DayRow[], currency: string) {
  const byDate = new Map(days.map((d) => [d.date, d]));
  const trend = [];
  for (let date = range.start; date <= range.end; date = addDays(date, 1)) {
    const d = byDate.get(date);
    trend.push({
      date,
      revenue: money(d?.revenue ?? '0', currency),
      orders: d?.orders ?? 0,
      units: d?.units ?? 0,
      profit: money(d?.profit ?? '0', currency),
    });
  }
  return trend;
}

type ProductChartRow = {
  kind: 'top' | 'category';
  key: string;
  revenue: string;
  units: number;
  profit: string;
  title: string | null;
  image_url: string | null;
};
type HourRow = { hour: number; orders: number; units: number; revenue: string };
type GeoRow = { country: string; state: string; orders: number; revenue: string };

type SalesRollup = typeof salesDaily | typeof salesHourly | typeof salesGeoDaily;

/** The tenant's rows of a rollup on the range's days, in the currency (and marketplace). */
function rollupRows(
  ctx: DashboardContext,
  filter: DashboardFilter,
  range: DayRange,
  rollup: SalesRollup,
): SQL {
  return sql`${rollup.tenantId} = ${ctx.tenant.id} AND ${rollup.date} BETWEEN ${range.start}::date AND ${range.end}::date
    AND trim(${rollup.currency}) = ${filter.currency} ${inMarketplace(filter, rollup.marketplaceId)}`;
}

/** Top products, sales by category, by hour of day and by region for the current period. */
async function charts(ctx: DashboardContext, filter: DashboardFilter, range: DayRange) {
  const [productRows, hourly, geo] = await Promise.all([
    queryRows<ProductChartRow>(ctx.db, productChartQuery(ctx, filter, range)),
    queryRows<HourRow>(
      ctx.db,
      sql`SELECT g.hour, coalesce(sum(${salesHourly.orders}), 0)::int AS orders,
                 coalesce(sum(${salesHourly.units}), 0)::int AS units,
                 coalesce(sum(${salesHourly.revenue}), 0)::text AS revenue
          FROM generate_series(0, 23) AS g(hour)
          LEFT JOIN ${salesHourly} ON ${salesHourly.hour} = g.hour AND ${rollupRows(ctx, filter, range, salesHourly)}
          GROUP BY 1 ORDER BY 1`,
    ),
    queryRows<GeoRow>(
      ctx.db,
      sql`SELECT ${salesGeoDaily.countryCode} AS country, ${salesGeoDaily.stateCode} AS state,
                 sum(${salesGeoDaily.orders})::int AS orders, sum(${salesGeoDaily.revenue})::text AS revenue
          FROM ${salesGeoDaily} WHERE ${rollupRows(ctx, filter, range, salesGeoDaily)}
          GROUP BY 1, 2 ORDER BY sum(${salesGeoDaily.revenue}) DESC, 1, 2 LIMIT 100`,
    ),
  ]);
  const m = (v: string) => money(v, filter.currency);
  return {
    ...productCharts(productRows, filter.currency),
    hourlyPerformance: hourly.map((h) => ({
      hour: h.hour,
      orders: h.orders,
      units: h.units,
      revenue: m(h.revenue),
    })),
    geographicDistribution: geo.map((g) => ({
      countryCode: g.country || null,
      stateCode: g.state || null,
      orders: g.orders,
      revenue: m(g.revenue),
    })),
  };
}

/**
 * One pass per ASIN over sales_daily; the top ten and the category totals both come from it, with
 * title, image and category from each ASIN's most recently updated listing.
 */
function productChartQuery(ctx: DashboardContext, filter: DashboardFilter, range: DayRange): SQL {
  const sales = salesDaily;
  const listing = products;
  return sql`
    WITH a AS MATERIALIZED (
      SELECT ${sales.asin} AS asin, sum(${sales.revenue}) AS revenue, sum(${sales.units})::int AS units,
             sum(${sales.revenue} - ${sales.refunds} - ${sales.fees} - ${sales.cogs}) AS profit
      FROM ${sales} WHERE ${rollupRows(ctx, filter, range, sales)} GROUP BY 1
    ),
    p AS (
      SELECT DISTINCT ON (${listing.asin}) ${listing.asin} AS asin, ${listing.category} AS category,
             ${listing.title} AS title, ${listing.imageUrl} AS image_url
      FROM ${listing} WHERE ${listing.tenantId} = ${ctx.tenant.id} AND ${listing.asin} IN (SELECT asin FROM a)
      ORDER BY ${listing.asin}, ${listing.updatedAt} DESC
    ),
    top AS (SELECT * FROM a ORDER BY revenue DESC, asin LIMIT 10)
    SELECT 'top' AS kind, top.asin AS key, top.revenue::text AS revenue, top.units, top.profit::text AS profit,
           p.title, p.image_url
    FROM top LEFT JOIN p ON p.asin = top.asin
    UNION ALL
    SELECT 'category', coalesce(p.category, 'Uncategorised'), sum(a.revenue)::text, sum(a.units)::int,
           sum(a.profit)::text, NULL, NULL
    FROM a LEFT JOIN p ON p.asin = a.asin GROUP BY 2`;
}

/** Highest revenue first, then by key. */
const byRevenue = (a: ProductChartRow, b: ProductChartRow) =>
  Number(toUnits(b.revenue) - toUnits(a.revenue)) || (a.key < b.key ? -1 : 1);

function productCharts(rows: ProductChartRow[], currency: string) {
  const m = (v: string) => money(v, currency);
  const top = rows.filter((p) => p.kind === 'top').sort(byRevenue);
  const categories = rows.filter((p) => p.kind === 'category').sort(byRevenue);
  const totalRevenue = sum(...categories.map((c) => c.revenue));
  return {
    topProducts: top.map((p, i) => ({
      rank: i + 1,
      asin: p.key,
      title: p.title,
      imageUrl: p.image_url,
      revenue: m(p.revenue),
      units: p.units,
      profit: m(p.profit),
    })),
    salesByCategory: categories.map((c) => ({
      category: c.key,
      revenue: m(c.revenue),
      units: c.units,
      share: percentOf(c.revenue, totalRevenue),
    })),
  };
}
