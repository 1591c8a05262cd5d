import type { Database } from '../../db/client';
import { assertRange, comparisonRange, type DayRange } from '../../lib/dates';
import { type Money, money, percentChange, percentOf, sub } from '../../lib/money';
import { tenantPrefs } from '../tenant/prefs';
import { FEE_LINES } from './fee-types';
import { recommendations } from './recommendations';
import { computeStatement, currenciesInRange, type Statement } from './statement';

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
function flatLines(s: Statement): Record<string, string> {
  return {
    grossSales: s.grossSales,
    promotions: s.promotions,
    refunds: s.refunds,
    netRevenue: s.netRevenue,
    cogs: s.cogs,
    grossProfit: s.grossProfit,
    ...Object.fromEntries(FEE_LINES.map((l) => [`fees.${l}`, s.fees[l]])),
    amazonFees: s.feesTotal,
    advertising: s.advertising,
    shipping: s.shipping,
    other: s.other,
    operatingExpenses: s.operatingExpenses,
    ebitda: s.ebitda,
    netIncome: s.netIncome,
  };
}

export function statementView(s: Statement, range: DayRange, currency: string) {
  const m = (v: string): Money => money(v, currency);
  return {
    period: range,
    currency,
    revenue: section(
      { grossSales: s.grossSales, promotions: `-${s.promotions}`, refunds: `-${s.refunds}` },
      s.netRevenue,
      currency,
    ),
    cogs: section({ productCost: s.cogs }, s.cogs, currency),
    grossProfit: m(s.grossProfit),
    operatingExpenses: section(
      {
        ...Object.fromEntries(FEE_LINES.map((l) => [l === 'other' ? 'otherAmazonFees' : l, s.fees[l]])),
        advertising: s.advertising,
        shipping: s.shipping,
        other: s.other,
      },
      s.operatingExpenses,
      currency,
    ),
    ebitda: m(s.ebitda),
    netIncome: m(s.netIncome),
    margins: { gross: percentOf(s.grossProfit, s.netRevenue), net: percentOf(s.netIncome, s.netRevenue) },
    estimated: { fees: m(s.estimatedFees), orderLines: s.estimatedLines },
    units: s.units,
    orders: s.orders,
  };
}

export async function profitAndLoss({
  db,
  tenantId,
  input,
}: {
  db: Database;
  tenantId: string;
  input: PnlInput;
}) {
  assertRange(input);
  const prefs = await tenantPrefs(db, tenantId);
  const currency = input.currency ?? prefs.currency;
  const scope = { db, tenantId, timezone: prefs.timezone, tenantCurrency: prefs.currency, currency };
  const range = { start: input.start, end: input.end };
  const compRange = input.compareWith ? comparisonRange(range, input.compareWith) : null;
  const [cur, comp, currencies] = await Promise.all([
    computeStatement(scope, range),
    compRange ? computeStatement(scope, compRange) : Promise.resolve(null),
    currenciesInRange(db, tenantId, prefs.timezone, range),
  ]);
  const variance =
    comp && compRange
      ? Object.fromEntries(
          Object.entries(flatLines(cur)).map(([k, v]) => {
            const before = flatLines(comp)[k] ?? '0';
            return [
              k,
              {
                current: money(v, currency),
                comparison: money(before, currency),
                change: money(sub(v, before), currency),
                changePercent: percentChange(v, before),
              },
            ];
          }),
        )
      : undefined;
  return {
    currency,
    currencies,
    current: statementView(cur, range, currency),
    ...(comp && compRange ? { comparison: statementView(comp, compRange, currency), variance } : {}),
    recommendations: recommendations(cur, comp),
  };
}
