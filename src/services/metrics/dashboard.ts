import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { queryRows } from '../../db/client';
import { localDayWindow } from '../../db/local-days';
import { addDays, assertRange, comparisonRange, type DayRange } from '../../lib/dates';
import { ValidationError } from '../../lib/errors';
import { divide, money, percentChange, percentOf, sub, sum, toUnits } from '../../lib/money';
import { tenantPrefs } from '../tenant/prefs';

export interface DashboardInput extends DayRange {
  marketplaceId?: string;
  comparison?: 'previous_period' | 'previous_year' | 'custom';
  comparisonStartDate?: string;
  comparisonEndDate?: string;
  currency?: string;
}

interface Scope {
  db: Database;
  tenantId: string;
  tz: string;
  tenantCurrency: string;
  currency: string;
  marketplaceId?: string;
}

/** `AND marketplace_id = …` for rollup tables when the dashboard is narrowed to one marketplace. */
const mkt = (s: Scope, col = sql`marketplace_id`): SQL =>
  s.marketplaceId ? sql`AND ${col} = ${s.marketplaceId}` : sql``;

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

const ZERO_TOTALS = {
  revenue: '0',
  refunds: '0',
  fees: '0',
  cogs: '0',
  units: 0,
  orders: 0,
  adSpend: '0',
  adSales: '0',
  adClicks: 0,
  adOrders: 0,
  accountCosts: '0',
};

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

const inRange = (date: string, r: DayRange) => date >= r.start && date <= r.end;
const daysOf = (ranges: DayRange[], col: SQL) =>
  sql`(${sql.join(
    ranges.map((r) => sql`${col} BETWEEN ${r.start}::date AND ${r.end}::date`),
    sql` OR `,
  )})`;

/**
 * Per-day rollup rows of both periods from the tenant's daily totals (sales_tenant_daily), plus ad
 * and account-level cost totals per period: the period totals and the sales trend are sums of these.
 */
async function periodData(s: Scope, ranges: DayRange[]) {
  const cur = sql`trim(currency) = ${s.currency}`;
  const [days, ads, account] = await Promise.all([
    queryRows<DayRow>(
      s.db,
      sql`SELECT to_char(date, 'YYYY-MM-DD') AS date, sum(revenue)::text AS revenue, sum(refunds)::text AS refunds,
                 sum(fees)::text AS fees, sum(cogs)::text AS cogs, sum(units)::int AS units,
                 sum(revenue - refunds - fees - cogs)::text AS profit, sum(orders)::int AS orders
          FROM sales_tenant_daily WHERE tenant_id = ${s.tenantId} AND ${daysOf(ranges, sql`date`)} AND ${cur} ${mkt(s)}
          GROUP BY date`,
    ),
    queryRows<{ spend: string | null; sales: string | null; clicks: number | null; orders: number | null }>(
      s.db,
      sql`SELECT ${sql.join(
        ranges.map(
          (
            r,
            i,
          ) => sql`sum(cost) FILTER (WHERE date BETWEEN ${r.start}::date AND ${r.end}::date)::text AS spend${sql.raw(String(i))},
            sum(sales_7d) FILTER (WHERE date BETWEEN ${r.start}::date AND ${r.end}::date)::text AS sales${sql.raw(String(i))},
            sum(clicks) FILTER (WHERE date BETWEEN ${r.start}::date AND ${r.end}::date)::int AS clicks${sql.raw(String(i))},
            sum(orders_7d) FILTER (WHERE date BETWEEN ${r.start}::date AND ${r.end}::date)::int AS orders${sql.raw(String(i))}`,
        ),
        sql`, `,
      )}
          FROM ad_metrics_daily WHERE tenant_id = ${s.tenantId} AND level = 'campaign' AND ${daysOf(ranges, sql`date`)}
            AND trim(coalesce(currency, ${s.tenantCurrency})) = ${s.currency}
            ${s.marketplaceId ? sql`AND profile_id IN (SELECT profile_id FROM ad_profiles WHERE tenant_id = ${s.tenantId} AND marketplace_id = ${s.marketplaceId})` : sql``}`,
    ),
    queryRows<Record<string, string | null>>(
      s.db,
      sql`SELECT ${sql.join(
        ranges.map(
          (r, i) =>
            sql`(-sum(fe.amount) FILTER (WHERE ${localDayWindow(sql`fe.posted_date`, s.tz, r.start, r.end)}))::text AS amount${sql.raw(String(i))}`,
        ),
        sql`, `,
      )}
          FROM finance_events fe
          WHERE fe.tenant_id = ${s.tenantId} AND (${sql.join(
            ranges.map((r) => localDayWindow(sql`fe.posted_date`, s.tz, r.start, r.end)),
            sql` OR `,
          )})
            AND trim(fe.currency) = ${s.currency} ${mkt(s, sql`fe.marketplace_id`)}
            AND (fe.amazon_order_id IS NULL OR fe.category IN ('shipping', 'other'))
            AND ((fe.category = 'fee' AND fe.amazon_order_id IS NULL) OR fe.category IN ('shipping', 'other'))`,
    ),
  ]);
  const adRow = (ads[0] ?? {}) as Record<string, string | number | null>;
  const totals = ranges.map((r, i): PeriodTotals => {
    const ds = days.filter((d) => inRange(d.date, r));
    const t = {
      ...ZERO_TOTALS,
      revenue: sum(...ds.map((d) => d.revenue)),
      refunds: sum(...ds.map((d) => d.refunds)),
      fees: sum(...ds.map((d) => d.fees)),
      cogs: sum(...ds.map((d) => d.cogs)),
      units: ds.reduce((a, d) => a + d.units, 0),
      orders: ds.reduce((a, d) => a + d.orders, 0),
      adSpend: (adRow[`spend${i}`] as string | null) ?? '0',
      adSales: (adRow[`sales${i}`] as string | null) ?? '0',
      adClicks: (adRow[`clicks${i}`] as number | null) ?? 0,
      adOrders: (adRow[`orders${i}`] as number | null) ?? 0,
      accountCosts: account[0]?.[`amount${i}`] ?? '0',
    };
    return { ...t, profit: sub(t.revenue, sum(t.refunds, t.fees, t.cogs, t.adSpend, t.accountCosts)) };
  });
  return { totals, days };
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

function periodView(r: DayRange, t: PeriodTotals, currency: string) {
  const m = (v: string) => money(v, currency);
  return {
    startDate: r.start,
    endDate: r.end,
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
function trendOf(r: DayRange, days: DayRow[]) {
  const byDate = new Map(days.map((d) => [d.date, d]));
  const out: DayRow[] = [];
  for (let d = r.start; d <= r.end; d = addDays(d, 1))
    out.push(
      byDate.get(d) ?? {
        date: d,
        revenue: '0',
        refunds: '0',
        fees: '0',
        cogs: '0',
        units: 0,
        profit: '0',
        orders: 0,
      },
    );
  return out;
}

async function charts(s: Scope, r: DayRange, days: DayRow[]) {
  const base = sql`s.tenant_id = ${s.tenantId} AND s.date BETWEEN ${r.start}::date AND ${r.end}::date
    AND trim(s.currency) = ${s.currency} ${mkt(s, sql`s.marketplace_id`)}`;
  const [products, hourly, geo] = await Promise.all([
    // One pass per ASIN; the top ten and the category totals both come from it.
    queryRows<{
      kind: 'top' | 'category';
      key: string;
      revenue: string;
      units: number;
      profit: string;
      title: string | null;
      image_url: string | null;
    }>(
      s.db,
      sql`WITH a AS MATERIALIZED (
            SELECT s.asin, sum(s.revenue) AS revenue, sum(s.units)::int AS units,
                   sum(s.revenue - s.refunds - s.fees - s.cogs) AS profit
            FROM sales_daily s WHERE ${base} GROUP BY 1
          ),
          p AS (SELECT DISTINCT ON (asin) asin, category, title, image_url FROM products
                WHERE tenant_id = ${s.tenantId} AND asin IN (SELECT asin FROM a) ORDER BY asin, updated_at DESC),
          top AS (SELECT * FROM a ORDER BY revenue DESC, asin LIMIT 10)
          SELECT 'top' AS kind, top.asin AS key, top.revenue::text AS revenue, top.units, top.profit::text AS profit, p.title, p.image_url
          FROM top LEFT JOIN p ON p.asin = top.asin
          UNION ALL
          SELECT 'category', coalesce(p.category, 'Uncategorised'), sum(a.revenue)::text, sum(a.units)::int, sum(a.profit)::text, NULL, NULL
          FROM a LEFT JOIN p ON p.asin = a.asin GROUP BY 2`,
    ),
    queryRows<{ hour: number; orders: number; units: number; revenue: string }>(
      s.db,
      sql`SELECT g.hour, coalesce(sum(s.orders), 0)::int AS orders, coalesce(sum(s.units), 0)::int AS units,
                 coalesce(sum(s.revenue), 0)::text AS revenue
          FROM generate_series(0, 23) AS g(hour) LEFT JOIN sales_hourly s ON s.hour = g.hour AND ${base}
          GROUP BY 1 ORDER BY 1`,
    ),
    queryRows<{ country: string; state: string; orders: number; revenue: string }>(
      s.db,
      sql`SELECT s.country_code AS country, s.state_code AS state, sum(s.orders)::int AS orders, sum(s.revenue)::text AS revenue
          FROM sales_geo_daily s WHERE ${base} GROUP BY 1, 2 ORDER BY sum(s.revenue) DESC, 1, 2 LIMIT 100`,
    ),
  ]);
  const m = (v: string) => money(v, s.currency);
  const top = products
    .filter((p) => p.kind === 'top')
    .sort((a, b) => Number(toUnits(b.revenue) - toUnits(a.revenue)) || (a.key < b.key ? -1 : 1));
  const categories = products
    .filter((p) => p.kind === 'category')
    .sort((a, b) => Number(toUnits(b.revenue) - toUnits(a.revenue)) || (a.key < b.key ? -1 : 1));
  const totalRevenue = sum(...categories.map((c) => c.revenue));
  return {
    salesTrend: trendOf(r, days).map((d) => ({
      date: d.date,
      revenue: m(d.revenue),
      orders: d.orders,
      units: d.units,
      profit: m(d.profit),
    })),
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

async function alertSummary(db: Database, tenantId: string) {
  const [active, counts] = await Promise.all([
    queryRows<{
      id: string;
      type: string;
      severity: string;
      title: string;
      asin: string | null;
      created_at: unknown;
    }>(
      db,
      sql`SELECT id, type, severity, title, asin, created_at FROM alerts WHERE tenant_id = ${tenantId} AND status = 'active'
          ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, created_at DESC LIMIT 10`,
    ),
    queryRows<{ total: number; critical: number; warning: number }>(
      db,
      sql`SELECT count(*)::int AS total, count(*) FILTER (WHERE severity = 'critical')::int AS critical,
                 count(*) FILTER (WHERE severity IN ('high', 'medium'))::int AS warning
          FROM alerts WHERE tenant_id = ${tenantId} AND status = 'active'`,
    ),
  ]);
  return {
    active: active.map((a) => ({
      id: a.id,
      type: a.type,
      severity: a.severity,
      title: a.title,
      asin: a.asin,
      createdAt: new Date(a.created_at as string).toISOString(),
    })),
    total: counts[0]?.total ?? 0,
    critical: counts[0]?.critical ?? 0,
    warning: counts[0]?.warning ?? 0,
  };
}

export function resolveComparison(input: DashboardInput): DayRange | null {
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

/** Dashboard for tenant-local days [start, end], read from the rollup tables. */
export async function dashboard({
  db,
  tenantId,
  input,
}: {
  db: Database;
  tenantId: string;
  input: DashboardInput;
}) {
  assertRange(input);
  const comp = resolveComparison(input);
  const prefs = await tenantPrefs(db, tenantId);
  const currency = input.currency ?? prefs.currency;
  const scope: Scope = {
    db,
    tenantId,
    tz: prefs.timezone,
    tenantCurrency: prefs.currency,
    currency,
    marketplaceId: input.marketplaceId,
  };
  const range = { start: input.start, end: input.end };
  const { totals, days } = await periodData(scope, comp ? [range, comp] : [range]);
  const [cur, prev] = [totals[0]!, totals[1] ?? null];
  const [chartData, alerts] = await Promise.all([
    charts(
      scope,
      range,
      days.filter((d) => inRange(d.date, range)),
    ),
    alertSummary(db, tenantId),
  ]);
  const current = periodView(range, cur, currency);
  const previous = comp && prev ? periodView(comp, prev, currency) : undefined;
  return {
    currency,
    timezone: prefs.timezone,
    period: {
      current,
      ...(previous &&
        prev && {
          previous,
          change: {
            revenue: percentChange(cur.revenue, prev.revenue),
            orders: percentChange(String(cur.orders), String(prev.orders)),
            units: percentChange(String(cur.units), String(prev.units)),
            profit: percentChange(cur.profit, prev.profit),
            adSpend: percentChange(cur.adSpend, prev.adSpend),
          },
        }),
    },
    kpis: kpis(cur, prev, currency),
    charts: chartData,
    alerts,
  };
}
