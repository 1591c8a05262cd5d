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

const contributionSums = (rollup: SalesRollup) =>
  sql`sum(${rollup.revenue})::text AS revenue, sum(${rollup.refunds})::text AS refunds, sum(${rollup.fees})::text AS fees,
      sum(${rollup.cogs})::text AS cogs, sum(${rollup.units})::int AS units`;

/** The tenant's rows of a rollup on the period's days in its currency. */
const rowsOf = (ctx: StatementContext, rollup: SalesRollup, period: StatementInput): SQL =>
  sql`${rollup.tenantId} = ${ctx.tenant.id} AND ${rollup.date} BETWEEN ${period.start}::date AND ${period.end}::date
      AND trim(${rollup.currency}) = ${period.currency}`;

async function series(ctx: StatementContext, period: StatementInput, groupBy: SummaryInput['groupBy']) {
  const daily = salesTenantDaily;
  const unit = sql.raw(`'${groupBy}'`);
  const rows = await queryRows<{
    bucket: string;
    revenue: string;
    refunds: string;
    contribution: string;
    units: number;
  }>(
    ctx.db,
    sql`SELECT to_char(date_trunc(${unit}, ${daily.date})::date, 'YYYY-MM-DD') AS bucket,
               sum(${daily.revenue})::text AS revenue, sum(${daily.refunds})::text AS refunds,
               sum(${daily.revenue} - ${daily.refunds} - ${daily.fees} - ${daily.cogs})::text AS contribution,
               sum(${daily.units})::int AS units
        FROM ${daily} WHERE ${rowsOf(ctx, daily, period)} AND ${daily.listings} > 0
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
  const sales = salesDaily;
  const listing = products;
  return sql`
    WITH a AS (
      SELECT ${sales.asin} AS asin, sum(${sales.revenue}) AS revenue, sum(${sales.refunds}) AS refunds,
             sum(${sales.fees}) AS fees, sum(${sales.cogs}) AS cogs, sum(${sales.units}) AS units
      FROM ${sales} WHERE ${rowsOf(ctx, sales, period)} GROUP BY 1
    ),
    c AS (
      SELECT DISTINCT ON (${listing.asin}) ${listing.asin} AS asin, ${listing.category} AS category
      FROM ${listing} WHERE ${listing.tenantId} = ${ctx.tenant.id} AND ${listing.asin} IN (SELECT asin FROM a)
      ORDER BY ${listing.asin}, ${listing.updatedAt} DESC
    )
    SELECT coalesce(c.category, 'Uncategorised') AS key, sum(a.revenue)::text AS revenue,
           sum(a.refunds)::text AS refunds, sum(a.fees)::text AS fees, sum(a.cogs)::text AS cogs,
           sum(a.units)::int AS units
    FROM a LEFT JOIN c ON c.asin = a.asin
    GROUP BY 1 ORDER BY sum(a.revenue) DESC`;
}

/** The 20 ASINs with the most revenue, with a title from one of their listings. */
function topProductsQuery(ctx: StatementContext, period: StatementInput): SQL {
  const sales = salesDaily;
  const listing = products;
  return sql`
    WITH top AS (
      SELECT ${sales.asin} AS key, ${contributionSums(sales)} FROM ${sales} WHERE ${rowsOf(ctx, sales, period)}
      GROUP BY 1 ORDER BY sum(${sales.revenue}) DESC, 1 LIMIT 20
    )
    SELECT top.*, (SELECT ${listing.title} FROM ${listing} WHERE ${listing.tenantId} = ${ctx.tenant.id} AND ${listing.asin} = top.key LIMIT 1) AS title
    FROM top ORDER BY revenue::numeric DESC, key`;
}
