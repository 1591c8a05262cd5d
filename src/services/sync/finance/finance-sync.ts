import { and, eq, gte, isNull, sql } from 'drizzle-orm';
import { financeEvents, type NewFinanceEvent, orderItems } from '../../../db/schema';
import { chunks, dedupeBy, upsertRows } from '../../../db/upsert';
import { fromUnits } from '../../../lib/money';
import type { SpSyncContext, SyncOutcome } from '../engine/context';
import { SYNTHETIC_ITEM_PREFIX } from '../orders/orders-map';
import { AMAZON_LAG_MS } from '../orders/orders-sync';
import { flattenEvents, flattenServiceFees, type ItemFees, mergeItemFees } from './finance-map';
import { syncSettlements } from './settlements';

/** Without a cursor or range, the first finance sync reads this far back. */
const FIRST_SYNC_MS = 30 * 86_400_000;

const FINANCE_UPDATE = [
  'eventType',
  'amazonOrderId',
  'sku',
  'marketplaceId',
  'postedDate',
  'amount',
  'currency',
  'feeType',
  'category',
  'description',
  'source',
] as const;

async function writeEvents(ctx: SpSyncContext, rows: NewFinanceEvent[]): Promise<number> {
  return upsertRows(
    ctx.db,
    financeEvents,
    dedupeBy(rows, (r) => r.eventId),
    { target: [financeEvents.tenantId, financeEvents.eventId], update: FINANCE_UPDATE },
  );
}

/** Settled fees on order lines, one UPDATE per batch (lines from a report are matched by SKU). */
async function settleItemFees(ctx: SpSyncContext, fees: ItemFees[]): Promise<void> {
  for (const part of chunks(fees)) {
    const values = sql.join(
      part.map(
        (f) =>
          sql`(${f.orderId}, ${f.itemId}, ${`${SYNTHETIC_ITEM_PREFIX}${f.sku}`}, ${fromUnits(f.referral, 4)}::numeric, ${fromUnits(f.fba, 4)}::numeric, ${fromUnits(f.other, 4)}::numeric)`,
      ),
      sql`, `,
    );
    await ctx.db
      .update(orderItems)
      .set({
        referralFee: sql`v.referral`,
        fbaFee: sql`v.fba`,
        otherFees: sql`v.other`,
        feeStatus: 'settled',
        updatedAt: sql`now()`,
      })
      .from(sql`(VALUES ${values}) AS v(order_id, item_id, sku_key, referral, fba, other)`)
      .where(
        and(
          eq(orderItems.tenantId, ctx.tenant.id),
          sql`${orderItems.amazonOrderId} = v.order_id`,
          sql`(${orderItems.orderItemId} = v.item_id OR ${orderItems.orderItemId} = v.sku_key)`,
        ),
      );
  }
}

/**
 * Finances v0 names an item's SKU, not its ASIN: the order line supplies the ASIN, which the order
 * views and the rollups use to tie posted fees to their line. Events of orders not synced yet are
 * linked by a later finance sync.
 */
async function linkEventAsins(ctx: SpSyncContext, since: Date): Promise<void> {
  await ctx.db
    .update(financeEvents)
    .set({ asin: sql`${orderItems.asin}` })
    .from(orderItems)
    .where(
      and(
        eq(financeEvents.tenantId, ctx.tenant.id),
        isNull(financeEvents.asin),
        gte(financeEvents.postedDate, since),
        eq(orderItems.tenantId, ctx.tenant.id),
        eq(orderItems.amazonOrderId, financeEvents.amazonOrderId),
        eq(orderItems.sku, financeEvents.sku),
      ),
    );
}

export async function syncFinance(ctx: SpSyncContext): Promise<SyncOutcome> {
  const { job } = ctx.run;
  const start = job.rangeStart ?? (await ctx.run.cursor()) ?? new Date(Date.now() - FIRST_SYNC_MS);
  const end = new Date(Math.min((job.rangeEnd ?? new Date()).getTime(), Date.now() - AMAZON_LAG_MS));
  const posted = { after: start.toISOString(), before: end.toISOString() };
  let records = 0;
  const fees = new Map<string, ItemFees>();
  for await (const page of ctx.sp.listFinancialEvents({
    PostedAfter: posted.after,
    PostedBefore: posted.before,
  })) {
    const { rows, itemFees } = flattenEvents(ctx.tenant.id, page);
    mergeItemFees(fees, itemFees);
    records += await writeEvents(ctx, rows);
    await ctx.run.progress(40, records);
  }
  for await (const page of ctx.sp.listTransactions({
    postedAfter: posted.after,
    postedBefore: posted.before,
  })) {
    records += await writeEvents(ctx, flattenServiceFees(ctx.tenant.id, page));
  }
  await settleItemFees(ctx, [...fees.values()]);
  await linkEventAsins(ctx, start);
  await ctx.run.progress(70, records);
  const settled = await syncSettlements(ctx, start);
  await ctx.run.advanceCursor(end);
  return { records: records + settled, errors: 0, warnings: [], affected: { from: start, to: end } };
}
