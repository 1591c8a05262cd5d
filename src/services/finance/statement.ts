import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { queryRows } from '../../db/client';
import { localDayWindow } from '../../db/local-days';
import type { DayRange } from '../../lib/dates';
import { sub, sum } from '../../lib/money';
import { FEE_LINES, type FeeLine, feeLineOf } from './fee-types';

export interface StatementScope {
  db: Database;
  tenantId: string;
  timezone: string;
  /** Tenant's own currency: rows without a currency are taken to be in it. */
  tenantCurrency: string;
  currency: string;
}

/** Exact decimal strings (not yet rounded) for one period; see FORMULAS.md. */
export interface Statement {
  grossSales: string;
  promotions: string;
  refunds: string;
  netRevenue: string;
  cogs: string;
  grossProfit: string;
  fees: Record<FeeLine, string>;
  feesTotal: string;
  advertising: string;
  shipping: string;
  other: string;
  operatingExpenses: string;
  ebitda: string;
  netIncome: string;
  estimatedFees: string;
  estimatedLines: number;
  units: number;
  orders: number;
  adSales: string;
}

export async function computeStatement(s: StatementScope, range: DayRange): Promise<Statement> {
  const { db, tenantId, timezone: tz, currency } = s;
  const window = localDayWindow(sql`fe.posted_date`, tz, range.start, range.end);
  const [rollup, orderFees, otherEvents, ads] = await Promise.all([
    queryRows<{
      gross: string | null;
      promotions: string | null;
      refunds: string | null;
      cogs: string | null;
      fees: string | null;
      units: number | null;
      orders: number | null;
    }>(
      db,
      // Daily tenant totals; rows holding only orders count for orders, never for the sums.
      sql`SELECT sum(revenue + promotions) FILTER (WHERE listings > 0)::text AS gross,
                 sum(promotions) FILTER (WHERE listings > 0)::text AS promotions,
                 sum(refunds) FILTER (WHERE listings > 0)::text AS refunds,
                 sum(cogs) FILTER (WHERE listings > 0)::text AS cogs, sum(fees) FILTER (WHERE listings > 0)::text AS fees,
                 sum(units) FILTER (WHERE listings > 0)::int AS units, sum(orders)::int AS orders
          FROM sales_tenant_daily WHERE tenant_id = ${tenantId} AND date BETWEEN ${range.start}::date AND ${range.end}::date
            AND trim(currency) = ${currency}`,
    ),
    // The rollup's order fees by P&L line, posted or still estimated.
    queryRows<{ line: FeeLine; amount: string; estimated: boolean; lines: number }>(
      db,
      sql`SELECT fee_line AS line, sum(amount)::text AS amount, estimated, sum(lines)::int AS lines
          FROM sales_fees_daily
          WHERE tenant_id = ${tenantId} AND date BETWEEN ${range.start}::date AND ${range.end}::date
            AND trim(currency) = ${currency}
          GROUP BY 1, 3`,
    ),
    // Money movements that belong to no order line: storage, inbound, subscriptions, shipping, other.
    queryRows<{ kind: string; amount: string }>(
      db,
      sql`SELECT CASE WHEN fe.category = 'fee' THEN 'fee:' || ${feeLineOf(sql`fe.fee_type`)} ELSE fe.category END AS kind,
                 (-sum(fe.amount))::text AS amount
          FROM finance_events fe
          WHERE fe.tenant_id = ${tenantId} AND ${window} AND trim(fe.currency) = ${currency}
            AND (fe.amazon_order_id IS NULL OR fe.category IN ('shipping', 'other'))
            AND ((fe.category = 'fee' AND fe.amazon_order_id IS NULL) OR fe.category IN ('shipping', 'other'))
          GROUP BY 1`,
    ),
    queryRows<{ cost: string | null; sales: string | null }>(
      db,
      sql`SELECT sum(cost)::text AS cost, sum(sales_7d)::text AS sales FROM ad_metrics_daily
          WHERE tenant_id = ${tenantId} AND level = 'campaign' AND date BETWEEN ${range.start}::date AND ${range.end}::date
            AND trim(coalesce(currency, ${s.tenantCurrency})) = ${currency}`,
    ),
  ]);

  const r = rollup[0] ?? {
    gross: null,
    promotions: null,
    refunds: null,
    cogs: null,
    fees: null,
    units: null,
    orders: null,
  };
  const fees = Object.fromEntries(FEE_LINES.map((l) => [l, '0'])) as Record<FeeLine, string>;
  let estimatedFees = '0';
  let estimatedLines = 0;
  for (const f of orderFees) {
    fees[f.line] = sum(fees[f.line], f.amount);
    if (f.estimated) {
      estimatedFees = sum(estimatedFees, f.amount);
      estimatedLines += f.lines;
    }
  }
  let shipping = '0';
  let other = '0';
  for (const e of otherEvents) {
    if (e.kind === 'shipping') shipping = sum(shipping, e.amount);
    else if (e.kind === 'other') other = sum(other, e.amount);
    else {
      const line = e.kind.slice('fee:'.length) as FeeLine;
      fees[line] = sum(fees[line], e.amount);
    }
  }
  const grossSales = r.gross ?? '0';
  const promotions = r.promotions ?? '0';
  const refunds = r.refunds ?? '0';
  const netRevenue = sub(sub(grossSales, promotions), refunds);
  const cogs = r.cogs ?? '0';
  const grossProfit = sub(netRevenue, cogs);
  const feesTotal = sum(...Object.values(fees));
  const advertising = ads[0]?.cost ?? '0';
  const operatingExpenses = sum(feesTotal, advertising, shipping, other);
  const ebitda = sub(grossProfit, operatingExpenses);
  return {
    grossSales,
    promotions,
    refunds,
    netRevenue,
    cogs,
    grossProfit,
    fees,
    feesTotal,
    advertising,
    shipping,
    other,
    operatingExpenses,
    ebitda,
    // No interest, tax or depreciation data is synced, so net income equals EBITDA.
    netIncome: ebitda,
    estimatedFees,
    estimatedLines,
    units: r.units ?? 0,
    orders: r.orders ?? 0,
    adSales: ads[0]?.sales ?? '0',
  };
}

/** Currencies that have sales or finance rows in the range (so a client can ask for each). */
export async function currenciesInRange(
  db: Database,
  tenantId: string,
  tz: string,
  range: DayRange,
): Promise<string[]> {
  const rows = await queryRows<{ currency: string }>(
    db,
    sql`SELECT DISTINCT trim(currency) AS currency FROM sales_daily
        WHERE tenant_id = ${tenantId} AND date BETWEEN ${range.start}::date AND ${range.end}::date
        UNION
        SELECT DISTINCT trim(fe.currency) FROM finance_events fe
        WHERE fe.tenant_id = ${tenantId} AND ${localDayWindow(sql`fe.posted_date`, tz, range.start, range.end)}
          AND (fe.amazon_order_id IS NULL OR fe.category IN ('shipping', 'other'))
        ORDER BY 1`,
  );
  return rows.map((r) => r.currency);
}
