import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { queryRows } from '../../db/client';
import { assertRange, comparisonRange, type DayRange } from '../../lib/dates';
import { money, percentChange, percentOf, sub, sum } from '../../lib/money';
import { tenantPrefs } from '../tenant/prefs';
import { type FinancePeriod, resolvePeriod } from './periods';
import { computeStatement, currenciesInRange } from './statement';

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
export async function financeSummary({
  db,
  tenantId,
  input,
}: {
  db: Database;
  tenantId: string;
  input: SummaryInput;
}) {
  const prefs = await tenantPrefs(db, tenantId);
  const range = resolvePeriod(input.period, prefs.timezone, { start: input.startDate, end: input.endDate });
  assertRange(range);
  const currency = input.currency ?? prefs.currency;
  const scope = { db, tenantId, timezone: prefs.timezone, tenantCurrency: prefs.currency, currency };
  const previous = comparisonRange(range, 'previous_period');
  const [cur, prev, trend, breakdown, currencies] = await Promise.all([
    computeStatement(scope, range),
    computeStatement(scope, previous),
    series(db, tenantId, currency, range, input.groupBy),
    breakdowns(db, tenantId, currency, range),
    currenciesInRange(db, tenantId, prefs.timezone, range),
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

async function series(
  db: Database,
  tenantId: string,
  currency: string,
  range: DayRange,
  groupBy: 'day' | 'week' | 'month',
) {
  const unit = sql.raw(`'${groupBy}'`);
  const rows = await queryRows<{
    bucket: string;
    revenue: string;
    refunds: string;
    contribution: string;
    units: number;
  }>(
    db,
    sql`SELECT to_char(date_trunc(${unit}, date)::date, 'YYYY-MM-DD') AS bucket,
               sum(revenue)::text AS revenue, sum(refunds)::text AS refunds,
               sum(revenue - refunds - fees - cogs)::text AS contribution, sum(units)::int AS units
        FROM sales_tenant_daily WHERE tenant_id = ${tenantId} AND date BETWEEN ${range.start}::date AND ${range.end}::date
          AND trim(currency) = ${currency} AND listings > 0
        GROUP BY 1 ORDER BY 1`,
  );
  return rows.map((r) => ({
    period: r.bucket,
    revenue: money(r.revenue, currency),
    refunds: money(r.refunds, currency),
    contribution: money(r.contribution, currency),
    units: r.units,
  }));
}

type Fin = {
  key: string;
  title?: string | null;
  revenue: string;
  refunds: string;
  fees: string;
  cogs: string;
  units: number;
};

async function breakdowns(db: Database, tenantId: string, currency: string, range: DayRange) {
  const base = sql`FROM sales_daily s WHERE s.tenant_id = ${tenantId}
    AND s.date BETWEEN ${range.start}::date AND ${range.end}::date AND trim(s.currency) = ${currency}`;
  const cols = sql`sum(s.revenue)::text AS revenue, sum(s.refunds)::text AS refunds, sum(s.fees)::text AS fees,
                   sum(s.cogs)::text AS cogs, sum(s.units)::int AS units`;
  const [byMarketplace, byCategory, byProduct] = await Promise.all([
    queryRows<Fin>(
      db,
      sql`SELECT s.marketplace_id AS key, ${cols} FROM sales_tenant_daily s WHERE s.tenant_id = ${tenantId}
            AND s.date BETWEEN ${range.start}::date AND ${range.end}::date AND trim(s.currency) = ${currency}
            AND s.listings > 0
          GROUP BY 1 ORDER BY 1`,
    ),
    queryRows<Fin>(
      db,
      sql`WITH a AS (SELECT s.asin, sum(s.revenue) AS revenue, sum(s.refunds) AS refunds, sum(s.fees) AS fees,
                            sum(s.cogs) AS cogs, sum(s.units) AS units ${base} GROUP BY 1),
          c AS (SELECT DISTINCT ON (asin) asin, category FROM products WHERE tenant_id = ${tenantId}
                AND asin IN (SELECT asin FROM a) ORDER BY asin, updated_at DESC)
          SELECT coalesce(c.category, 'Uncategorised') AS key, sum(a.revenue)::text AS revenue,
                 sum(a.refunds)::text AS refunds, sum(a.fees)::text AS fees, sum(a.cogs)::text AS cogs,
                 sum(a.units)::int AS units
          FROM a LEFT JOIN c ON c.asin = a.asin
          GROUP BY 1 ORDER BY sum(a.revenue) DESC`,
    ),
    queryRows<Fin>(
      db,
      sql`WITH top AS (SELECT s.asin AS key, ${cols} ${base} GROUP BY 1 ORDER BY sum(s.revenue) DESC, 1 LIMIT 20)
          SELECT top.*, (SELECT title FROM products p WHERE p.tenant_id = ${tenantId} AND p.asin = top.key LIMIT 1) AS title
          FROM top ORDER BY revenue::numeric DESC, key`,
    ),
  ]);
  const fin = (r: Fin) => {
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
  };
  return {
    byMarketplace: Object.fromEntries(byMarketplace.map((r) => [r.key, fin(r)])),
    byCategory: Object.fromEntries(byCategory.map((r) => [r.key, fin(r)])),
    byProduct: byProduct.map((r) => ({ asin: r.key, title: r.title ?? null, ...fin(r) })),
  };
}
