import { assertRange, comparisonRange, type DayRange } from '../../lib/dates';
import { type Money, money, percentChange, percentOf, sub } from '../../lib/money';
import { FEE_LINES } from './fee-types';
import { recommendations } from './recommendations';
import { computeStatement, currenciesInRange, type Statement, type StatementContext } from './statement';

export interface PnlInput extends DayRange {
  compareWith?: 'previous_period' | 'previous_year';
  currency?: string;
}

/** Line items of a statement section: name → amount, plus the section total. */
function section(lines: Record<string, string>, total: string, currency: string) {
  return {
    lines: Object.fromEntries(Object.entries(lines).map(([k, v]) => [k, money(v, currency)])),
    total: money(total, currency),
  };
}

/** Flat list of every statement line (for variance): costs and contra-revenue as positive magnitudes. */
function flatLines(statement: Statement): Record<string, string> {
  return {
    grossSales: statement.grossSales,
    promotions: statement.promotions,
    refunds: statement.refunds,
    netRevenue: statement.netRevenue,
    cogs: statement.cogs,
    grossProfit: statement.grossProfit,
    ...Object.fromEntries(FEE_LINES.map((l) => [`fees.${l}`, statement.fees[l]])),
    amazonFees: statement.feesTotal,
    advertising: statement.advertising,
    shipping: statement.shipping,
    other: statement.other,
    operatingExpenses: statement.operatingExpenses,
    ebitda: statement.ebitda,
    netIncome: statement.netIncome,
  };
}

/** Each line of both statements, the change and the change in percent. */
function variance(current: Statement, comparison: Statement, currency: string) {
  const before = flatLines(comparison);
  return Object.fromEntries(
    Object.entries(flatLines(current)).map(([line, now]) => {
      const then = before[line] ?? '0';
      return [
        line,
        {
          current: money(now, currency),
          comparison: money(then, currency),
          change: money(sub(now, then), currency),
          changePercent: percentChange(now, then),
        },
      ];
    }),
  );
}

export function statementView(statement: Statement, range: DayRange, currency: string) {
  const { grossSales, promotions, refunds, netRevenue, cogs, grossProfit, fees, netIncome } = statement;
  const m = (v: string): Money => money(v, currency);
  return {
    period: range,
    currency,
    revenue: section(
      { grossSales, promotions: `-${promotions}`, refunds: `-${refunds}` },
      netRevenue,
      currency,
    ),
    cogs: section({ productCost: cogs }, cogs, currency),
    grossProfit: m(grossProfit),
    operatingExpenses: section(
      {
        ...Object.fromEntries(FEE_LINES.map((l) => [l === 'other' ? 'otherAmazonFees' : l, fees[l]])),
        advertising: statement.advertising,
        shipping: statement.shipping,
        other: statement.other,
      },
      statement.operatingExpenses,
      currency,
    ),
    ebitda: m(statement.ebitda),
    netIncome: m(netIncome),
    margins: { gross: percentOf(grossProfit, netRevenue), net: percentOf(netIncome, netRevenue) },
    estimated: { fees: m(statement.estimatedFees), orderLines: statement.estimatedLines },
    units: statement.units,
    orders: statement.orders,
  };
}

/** Statement for tenant-local days [start, end] in one currency, optionally against another period. */
export async function profitAndLoss(ctx: StatementContext, input: PnlInput) {
  assertRange(input);
  const currency = input.currency ?? ctx.tenant.currency;
  const range = { start: input.start, end: input.end };
  const compRange = input.compareWith ? comparisonRange(range, input.compareWith) : null;
  const [current, comparison, currencies] = await Promise.all([
    computeStatement(ctx, { ...range, currency }),
    compRange ? computeStatement(ctx, { ...compRange, currency }) : null,
    currenciesInRange(ctx, range),
  ]);
  return {
    currency,
    currencies,
    current: statementView(current, range, currency),
    ...(comparison &&
      compRange && {
        comparison: statementView(comparison, compRange, currency),
        variance: variance(current, comparison, currency),
      }),
    recommendations: recommendations(current, comparison),
  };
}
