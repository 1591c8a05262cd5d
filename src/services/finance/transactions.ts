import { and, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { localDayWindow } from '../../db/local-days';
import { type FinanceEvent, financeEvents } from '../../db/schema';
import { assertRange, type DayRange } from '../../lib/dates';
import { decimal, money } from '../../lib/money';
import type { StatementContext } from './statement';

export interface TransactionsInput extends DayRange {
  type?: FinanceEvent['category'][];
  eventType?: string;
  minAmount?: number;
  page: number;
  limit: number;
  currency?: string;
}

const fe = financeEvents;

/** Finance events posted on [start, end] (tenant-local days); totals in one currency. */
export async function listTransactions(ctx: StatementContext, input: TransactionsInput) {
  assertRange(input);
  const currency = input.currency ?? ctx.tenant.currency;
  const where = transactionFilter(ctx, input);
  const [rows, totals] = await Promise.all([
    transactionPage(ctx, input, where),
    transactionTotals(ctx, where, currency),
  ]);
  return {
    transactions: rows.map((r) => ({
      eventId: r.eventId,
      source: r.source,
      eventType: r.eventType,
      category: r.category,
      feeType: r.feeType,
      amazonOrderId: r.amazonOrderId,
      asin: r.asin,
      sku: r.sku,
      marketplaceId: r.marketplaceId,
      postedDate: r.postedDate.toISOString(),
      amount: { amount: decimal(r.amount, 4), currency: r.currency },
      settlementId: r.settlementId,
      description: r.description,
    })),
    pagination: {
      page: input.page,
      limit: input.limit,
      total: totals.total,
      pages: Math.ceil(totals.total / input.limit),
    },
    totals: {
      currency,
      credits: money(totals.credits ?? '0', currency),
      debits: money(totals.debits ?? '0', currency),
      net: money(totals.net ?? '0', currency),
    },
  };
}

function transactionPage(ctx: StatementContext, input: TransactionsInput, where: SQL | undefined) {
  return ctx.db
    .select({
      eventId: fe.eventId,
      source: fe.source,
      eventType: fe.eventType,
      category: fe.category,
      feeType: fe.feeType,
      amazonOrderId: fe.amazonOrderId,
      asin: fe.asin,
      sku: fe.sku,
      marketplaceId: fe.marketplaceId,
      postedDate: fe.postedDate,
      amount: fe.amount,
      currency: sql<string>`trim(${fe.currency})`,
      settlementId: fe.settlementId,
      description: fe.description,
    })
    .from(fe)
    .where(where)
    .orderBy(desc(fe.postedDate), fe.eventId)
    .limit(input.limit)
    .offset((input.page - 1) * input.limit);
}

/** How many events match, and their credits, debits and net in one currency. */
async function transactionTotals(ctx: StatementContext, where: SQL | undefined, currency: string) {
  const inCurrency = sql`trim(${fe.currency}) = ${currency}`;
  const [totals] = await ctx.db
    .select({
      total: sql<number>`count(*)::int`,
      credits: sql<string | null>`sum(${fe.amount}) FILTER (WHERE ${fe.amount} > 0 AND ${inCurrency})::text`,
      debits: sql<
        string | null
      >`(-sum(${fe.amount}) FILTER (WHERE ${fe.amount} < 0 AND ${inCurrency}))::text`,
      net: sql<string | null>`sum(${fe.amount}) FILTER (WHERE ${inCurrency})::text`,
    })
    .from(fe)
    .where(where);
  return totals ?? { total: 0, credits: null, debits: null, net: null };
}

function transactionFilter(ctx: StatementContext, input: TransactionsInput): SQL | undefined {
  return and(
    eq(fe.tenantId, ctx.tenant.id),
    localDayWindow(sql`${fe.postedDate}`, ctx.tenant.timezone, input.start, input.end),
    input.type?.length ? inArray(fe.category, input.type) : undefined,
    input.eventType ? eq(fe.eventType, input.eventType) : undefined,
    input.minAmount !== undefined ? sql`abs(${fe.amount}) >= ${input.minAmount}` : undefined,
  );
}
