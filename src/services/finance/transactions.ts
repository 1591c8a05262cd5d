import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { queryRows } from '../../db/client';
import { localDayWindow } from '../../db/local-days';
import { assertRange, type DayRange, toIso } from '../../lib/dates';
import { decimal, money } from '../../lib/money';
import { tenantPrefs } from '../tenant/prefs';

export interface TransactionsInput extends DayRange {
  type?: string[];
  eventType?: string;
  minAmount?: number;
  page: number;
  limit: number;
  currency?: string;
}

/** Finance events posted on [start, end] (tenant-local days); totals in one currency. */
export async function listTransactions({
  db,
  tenantId,
  input,
}: {
  db: Database;
  tenantId: string;
  input: TransactionsInput;
}) {
  assertRange(input);
  const prefs = await tenantPrefs(db, tenantId);
  const currency = input.currency ?? prefs.currency;
  const where: SQL[] = [
    sql`fe.tenant_id = ${tenantId}`,
    localDayWindow(sql`fe.posted_date`, prefs.timezone, input.start, input.end),
  ];
  if (input.type?.length)
    where.push(
      sql`fe.category IN (${sql.join(
        input.type.map((t) => sql`${t}`),
        sql`, `,
      )})`,
    );
  if (input.eventType) where.push(sql`fe.event_type = ${input.eventType}`);
  if (input.minAmount !== undefined) where.push(sql`abs(fe.amount) >= ${input.minAmount}`);
  const cond = sql.join(where, sql` AND `);
  const [rows, totals] = await Promise.all([
    queryRows<Record<string, string | null>>(
      db,
      sql`SELECT fe.event_id, fe.source, fe.event_type, fe.category, fe.fee_type, fe.amazon_order_id, fe.asin, fe.sku,
                 fe.marketplace_id, fe.posted_date, fe.amount::text AS amount, trim(fe.currency) AS currency,
                 fe.settlement_id, fe.description
          FROM finance_events fe WHERE ${cond}
          ORDER BY fe.posted_date DESC, fe.event_id LIMIT ${input.limit} OFFSET ${(input.page - 1) * input.limit}`,
    ),
    queryRows<{ total: number; credits: string | null; debits: string | null; net: string | null }>(
      db,
      sql`SELECT count(*)::int AS total,
                 sum(fe.amount) FILTER (WHERE fe.amount > 0 AND trim(fe.currency) = ${currency})::text AS credits,
                 (-sum(fe.amount) FILTER (WHERE fe.amount < 0 AND trim(fe.currency) = ${currency}))::text AS debits,
                 sum(fe.amount) FILTER (WHERE trim(fe.currency) = ${currency})::text AS net
          FROM finance_events fe WHERE ${cond}`,
    ),
  ]);
  const t = totals[0] ?? { total: 0, credits: null, debits: null, net: null };
  return {
    transactions: rows.map((r) => ({
      eventId: r.event_id,
      source: r.source,
      eventType: r.event_type,
      category: r.category,
      feeType: r.fee_type,
      amazonOrderId: r.amazon_order_id,
      asin: r.asin,
      sku: r.sku,
      marketplaceId: r.marketplace_id,
      postedDate: toIso(r.posted_date),
      amount: { amount: decimal(r.amount, 4), currency: r.currency as string },
      settlementId: r.settlement_id,
      description: r.description,
    })),
    pagination: {
      page: input.page,
      limit: input.limit,
      total: t.total,
      pages: Math.ceil(t.total / input.limit),
    },
    totals: {
      currency,
      credits: money(t.credits ?? '0', currency),
      debits: money(t.debits ?? '0', currency),
      net: money(t.net ?? '0', currency),
    },
  };
}
