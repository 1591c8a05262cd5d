import { type SQL, sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { localDayWindow } from '../../db/local-days';
import { adMetricsDaily, financeEvents, salesDaily, salesFeesDaily, salesTenantDaily } from '../../db/schema';
import type { DayRange } from '../../lib/dates';
import { sub, sum } from '../../lib/money';
import type { TenantContext } from '../context';
import { type FeeLine, feeLineOf } from './fee-types';

export type StatementContext = Pick<TenantContext, 'db' | 'tenant'>;

/** One period's days and the currency whose rows it adds up (other currencies are never mixed in). */
export interface StatementInput extends DayRange {
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

/** Every P&L fee line at zero, in statement order. */
export function emptyFeeLines(): Record<FeeLine, string> {
  return {
    referral: '0',
    fbaFulfillment: '0',
    storage: '0',
    inbound: '0',
    returns: '0',
    refundAdministration: '0',
    other: '0',
  };
}

/**
 * Finance events the sales rollups do not carry, which period views add on top: fees charged to
 * the account rather than an order line (storage, inbound, subscriptions), shipping and other.
 */
export function accountLevelEvents(): SQL {
  const fe = financeEvents;
  return sql`((${fe.category} = 'fee' AND ${fe.amazonOrderId} IS NULL) OR ${fe.category} IN ('shipping', 'other'))`;
}

/** `fe.posted_date` within the tenant-local days of the range. */
const postedIn = (ctx: StatementContext, range: DayRange) =>
  localDayWindow(sql`${financeEvents.postedDate}`, ctx.tenant.timezone, range.start, range.end);

export async function computeStatement(ctx: StatementContext, input: StatementInput): Promise<Statement> {
  const [sales, orderFees, accountEvents, ads] = await Promise.all([
    salesTotals(ctx, input),
    orderFeeLines(ctx, input),
    accountEventTotals(ctx, input),
    adTotals(ctx, input),
  ]);
  const { fees, estimatedFees, estimatedLines, shipping, other } = costLines(orderFees, accountEvents);
  const grossSales = sales?.gross ?? '0';
  const promotions = sales?.promotions ?? '0';
  const refunds = sales?.refunds ?? '0';
  const netRevenue = sub(sub(grossSales, promotions), refunds);
  const cogs = sales?.cogs ?? '0';
  const grossProfit = sub(netRevenue, cogs);
  const feesTotal = sum(...Object.values(fees));
  const advertising = ads?.cost ?? '0';
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
    units: sales?.units ?? 0,
    orders: sales?.orders ?? 0,
    adSales: ads?.sales ?? '0',
  };
}

/** Fee lines (order fees from the rollup plus account-level fees), estimates, shipping and other. */
function costLines(orderFees: OrderFeeRow[], accountEvents: AccountEventRow[]) {
  const fees = emptyFeeLines();
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
  for (const e of accountEvents) {
    if (e.category === 'shipping') shipping = sum(shipping, e.amount);
    else if (e.category === 'other') other = sum(other, e.amount);
    else if (e.line) fees[e.line] = sum(fees[e.line], e.amount);
  }
  return { fees, estimatedFees, estimatedLines, shipping, other };
}

type SalesTotalsRow = {
  gross: string | null;
  promotions: string | null;
  refunds: string | null;
  cogs: string | null;
  units: number | null;
  orders: number | null;
};

/** Daily tenant totals; rows holding only orders count for orders, never for the sums. */
async function salesTotals(ctx: StatementContext, input: StatementInput) {
  const daily = salesTenantDaily;
  const [row] = await queryRows<SalesTotalsRow>(
    ctx.db,
    sql`SELECT sum(${daily.revenue} + ${daily.promotions}) FILTER (WHERE ${daily.listings} > 0)::text AS gross,
               sum(${daily.promotions}) FILTER (WHERE ${daily.listings} > 0)::text AS promotions,
               sum(${daily.refunds}) FILTER (WHERE ${daily.listings} > 0)::text AS refunds,
               sum(${daily.cogs}) FILTER (WHERE ${daily.listings} > 0)::text AS cogs,
               sum(${daily.units}) FILTER (WHERE ${daily.listings} > 0)::int AS units, sum(${daily.orders})::int AS orders
        FROM ${daily}
        WHERE ${daily.tenantId} = ${ctx.tenant.id} AND ${daily.date} BETWEEN ${input.start}::date AND ${input.end}::date
          AND trim(${daily.currency}) = ${input.currency}`,
  );
  return row;
}

type OrderFeeRow = {
  line: FeeLine;
  amount: string;
  estimated: boolean;
  lines: number;
};

/** The rollup's order fees by P&L line, posted or still estimated. */
function orderFeeLines(ctx: StatementContext, input: StatementInput) {
  const fees = salesFeesDaily;
  return queryRows<OrderFeeRow>(
    ctx.db,
    sql`SELECT ${fees.feeLine} AS line, sum(${fees.amount})::text AS amount, ${fees.estimated} AS estimated,
               sum(${fees.lines})::int AS lines
        FROM ${fees}
        WHERE ${fees.tenantId} = ${ctx.tenant.id} AND ${fees.date} BETWEEN ${input.start}::date AND ${input.end}::date
          AND trim(${fees.currency}) = ${input.currency}
        GROUP BY 1, 3`,
  );
}

type AccountEventRow = {
  category: 'fee' | 'shipping' | 'other';
  /** The fee line of a fee; null for shipping and other. */
  line: FeeLine | null;
  amount: string;
};

/** Money movements that belong to no order line: storage, inbound, subscriptions, shipping, other. */
function accountEventTotals(ctx: StatementContext, input: StatementInput) {
  const fe = financeEvents;
  return queryRows<AccountEventRow>(
    ctx.db,
    sql`SELECT ${fe.category} AS category,
               CASE WHEN ${fe.category} = 'fee' THEN ${feeLineOf(sql`${fe.feeType}`)} END AS line,
               (-sum(${fe.amount}))::text AS amount
        FROM ${fe}
        WHERE ${fe.tenantId} = ${ctx.tenant.id} AND ${postedIn(ctx, input)}
          AND trim(${fe.currency}) = ${input.currency} AND ${accountLevelEvents()}
        GROUP BY 1, 2`,
  );
}

type AdTotalsRow = {
  cost: string | null;
  sales: string | null;
};

async function adTotals(ctx: StatementContext, input: StatementInput) {
  const ads = adMetricsDaily;
  const [row] = await queryRows<AdTotalsRow>(
    ctx.db,
    sql`SELECT sum(${ads.cost})::text AS cost, sum(${ads.sales7d})::text AS sales
        FROM ${ads}
        WHERE ${ads.tenantId} = ${ctx.tenant.id} AND ${ads.level} = 'campaign'
          AND ${ads.date} BETWEEN ${input.start}::date AND ${input.end}::date
          AND trim(coalesce(${ads.currency}, ${ctx.tenant.currency})) = ${input.currency}`,
  );
  return row;
}

/** Currencies that have sales or finance rows in the range (so a client can ask for each). */
export async function currenciesInRange(ctx: StatementContext, range: DayRange): Promise<string[]> {
  const sales = salesDaily;
  const fe = financeEvents;
  const rows = await queryRows<{ currency: string }>(
    ctx.db,
    sql`SELECT DISTINCT trim(${sales.currency}) AS currency FROM ${sales}
        WHERE ${sales.tenantId} = ${ctx.tenant.id} AND ${sales.date} BETWEEN ${range.start}::date AND ${range.end}::date
        UNION
        SELECT DISTINCT trim(${fe.currency}) FROM ${fe}
        WHERE ${fe.tenantId} = ${ctx.tenant.id} AND ${postedIn(ctx, range)}
          AND (${fe.amazonOrderId} IS NULL OR ${fe.category} IN ('shipping', 'other'))
        ORDER BY 1`,
  );
  return rows.map((r) => r.currency);
}
