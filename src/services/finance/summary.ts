import { type SQL, sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { products, salesDaily, salesTenantDaily } from '../../db/schema';
import { assertRange, comparisonRange } from '../../lib/dates';
import { money, percentChange, percentOf, sub, sum } from '../../lib/money';
import { type FinancePeriod, resolvePeriod } from './periods';
import { computeStatement, currenciesInRange, type StatementContext, type StatementInput } from './statement';

export interface SummaryInput {
  period: FinancePeriod;
  startDate?: string;
  endDate?: string;
  groupBy: 'day' | 'week' | 'month';
  currency?: string;
}

/**
 * Finance summary for one period and currency. Breakdowns by marketplace, category and product show
 * contribution (net revenue − refunds − Amazon order fees − COGS): advertising and account-level
 * costs are not allocated to them.
 */
export async function financeSummary(ctx: StatementContext, input: SummaryInput) {
  const range = resolvePeriod(input.period, ctx.tenant.timezone, {
    start: input.startDate,
    end: input.endDate,
  });
  assertRange(range);
  const period: StatementInput = { ...range, currency: input.currency ?? ctx.tenant.currency };
  const { currency } = period;
  const [cur, prev, trend, breakdown, currencies] = await Promise.all([
    computeStatement(ctx, period),
    computeStatement(ctx, { ...comparisonRange(range, 'previous_period'), currency }),
    series(ctx, period, input.groupBy),
    breakdowns(ctx, period),
    currenciesInRange(ctx, range),
  ]);
  const m = (v: string) => money(v, currency);
  return {
    period: { ...range, label: input.period },
    currency,
    currencies,
    revenue: {
      gross: m(cur.grossSales),
      promotions: m(cur.promotions),
      refunds: m(cur.refunds),
      net: m(cur.netRevenue),
      trend: percentChange(cur.netRevenue, prev.netRevenue),
      series: trend,
    },
    costs: {
      product: m(cur.cogs),
      amazonFees: m(cur.feesTotal),
      advertising: m(cur.advertising),
      shipping: m(cur.shipping),
      other: m(cur.other),
      total: m(sum(cur.cogs, cur.operatingExpenses)),
    },
    profit: {
      gross: m(cur.grossProfit),
      net: m(cur.netIncome),
      margin: percentOf(cur.netIncome, cur.netRevenue),
      ebitda: m(cur.ebitda),
    },
    estimated: {
      fees: m(cur.estimatedFees),
      orderLines: cur.estimatedLines,
      note: 'Amazon fees of order lines whose fees have not posted yet are estimates until they settle.',
    },
    breakdown,
  };
}

/** Sums of a sales rollup's money columns (exact, as text) and units. */
type ContributionRow = {
  key: string;
  revenue: string;
  refunds: string;
  fees: string;
  cogs: string;
  units: number;
};

type SalesRollup = typeof salesDaily | typeof salesTenantDaily;

const contributionSums = (t: SalesRollup) =>
  sql`sum(${t.revenue})::text AS revenue, sum(${t.refunds})::text AS refunds, sum(${t.fees})::text AS fees,
      sum(${t.cogs})::text AS cogs, sum(${t.units})::int AS units`;

/** The tenant's rows of a rollup on the period's days in its currency. */
const rowsOf = (ctx: StatementContext, t: SalesRollup, period: StatementInput): SQL =>
  sql`${t.tenantId} = ${ctx.tenant.id} AND ${t.date} BETWEEN ${period.start}::date AND ${period.end}::date
      AND trim(${t.currency}) = ${period.currency}`;

async function series(ctx: StatementContext, period: StatementInput, groupBy: SummaryInput['groupBy']) {
  const t = salesTenantDaily;
  const unit = sql.raw(`'${groupBy}'`);
  const rows = await queryRows<{
    bucket: string;
    revenue: string;
    refunds: string;
    contribution: string;
    units: number;
  }>(
    ctx.db,
    sql`SELECT to_char(date_trunc(${unit}, ${t.date})::date, 'YYYY-MM-DD') AS bucket,
               sum(${t.revenue})::text AS revenue, sum(${t.refunds})::text AS refunds,
               sum(${t.revenue} - ${t.refunds} - ${t.fees} - ${t.cogs})::text AS contribution,
               sum(${t.units})::int AS units
        FROM ${t} WHERE ${rowsOf(ctx, t, period)} AND ${t.listings} > 0
        GROUP BY 1 ORDER BY 1`,
  );
  return rows.map((r) => ({
    period: r.bucket,
    revenue: money(r.revenue, period.currency),
    refunds: money(r.refunds, period.currency),
    contribution: money(r.contribution, period.currency),
    units: r.units,
  }));
}

async function breakdowns(ctx: StatementContext, period: StatementInput) {
  const [byMarketplace, byCategory, byProduct] = await Promise.all([
    queryRows<ContributionRow>(
      ctx.db,
      sql`SELECT ${salesTenantDaily.marketplaceId} AS key, ${contributionSums(salesTenantDaily)}
          FROM ${salesTenantDaily}
          WHERE ${rowsOf(ctx, salesTenantDaily, period)} AND ${salesTenantDaily.listings} > 0
          GROUP BY 1 ORDER BY 1`,
    ),
    queryRows<ContributionRow>(ctx.db, byCategoryQuery(ctx, period)),
    queryRows<ContributionRow & { title: string | null }>(ctx.db, topProductsQuery(ctx, period)),
  ]);
  const view = (r: ContributionRow) => contributionView(r, period.currency);
  return {
    byMarketplace: Object.fromEntries(byMarketplace.map((r) => [r.key, view(r)])),
    byCategory: Object.fromEntries(byCategory.map((r) => [r.key, view(r)])),
    byProduct: byProduct.map((r) => ({ asin: r.key, title: r.title, ...view(r) })),
  };
}

function contributionView(r: ContributionRow, currency: string) {
  const contribution = sub(sub(sub(r.revenue, r.refunds), r.fees), r.cogs);
  return {
    revenue: money(r.revenue, currency),
    refunds: money(r.refunds, currency),
    amazonFees: money(r.fees, currency),
    cogs: money(r.cogs, currency),
    contribution: money(contribution, currency),
    margin: percentOf(contribution, r.revenue),
    units: r.units,
  };
}

/** Per-ASIN sums, then by the category of each ASIN's most recently updated listing. */
function byCategoryQuery(ctx: StatementContext, period: StatementInput): SQL {
  const s = salesDaily;
  const p = products;
  return sql`
    WITH a AS (
      SELECT ${s.asin} AS asin, sum(${s.revenue}) AS revenue, sum(${s.refunds}) AS refunds,
             sum(${s.fees}) AS fees, sum(${s.cogs}) AS cogs, sum(${s.units}) AS units
      FROM ${s} WHERE ${rowsOf(ctx, s, period)} GROUP BY 1
    ),
    c AS (
      SELECT DISTINCT ON (${p.asin}) ${p.asin} AS asin, ${p.category} AS category
      FROM ${p} WHERE ${p.tenantId} = ${ctx.tenant.id} AND ${p.asin} IN (SELECT asin FROM a)
      ORDER BY ${p.asin}, ${p.updatedAt} DESC
    )
    SELECT coalesce(c.category, 'Uncategorised') AS key, sum(a.revenue)::text AS revenue,
           sum(a.refunds)::text AS refunds, sum(a.fees)::text AS fees, sum(a.cogs)::text AS cogs,
           sum(a.units)::int AS units
    FROM a LEFT JOIN c ON c.asin = a.asin
    GROUP BY 1 ORDER BY sum(a.revenue) DESC`;
}

/** The 20 ASINs with the most revenue, with a title from one of their listings. */
function topProductsQuery(ctx: StatementContext, period: StatementInput): SQL {
  const s = salesDaily;
  const p = products;
  return sql`
    WITH top AS (
      SELECT ${s.asin} AS key, ${contributionSums(s)} FROM ${s} WHERE ${rowsOf(ctx, s, period)}
      GROUP BY 1 ORDER BY sum(${s.revenue}) DESC, 1 LIMIT 20
    )
    SELECT top.*, (SELECT ${p.title} FROM ${p} WHERE ${p.tenantId} = ${ctx.tenant.id} AND ${p.asin} = top.key LIMIT 1) AS title
    FROM top ORDER BY revenue::numeric DESC, key`;
}
