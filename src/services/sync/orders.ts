import { and, eq, inArray, notLike, sql } from 'drizzle-orm';
import { reportRows, requestReport, waitForReport } from '../../amazon/reports';
import { orderItems, orders } from '../../db/schema';
import { dedupeBy, upsertColumns } from '../../db/upsert';
import type { SyncContext, SyncOutcome } from './context';
import { advanceCursor, readCursor } from './jobs';
import { type MappedOrder, mapApiOrder, mapReportOrder, SYNTHETIC_ITEM_PREFIX } from './orders-map';

export const ORDERS_REPORT = 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL';
/** Amazon rejects CreatedBefore / LastUpdatedBefore less than two minutes in the past. */
export const AMAZON_LAG_MS = 2 * 60_000;
/** Orders read per database round trip. */
const ORDER_BATCH = 1000;

const ORDER_UPDATE = [
  'marketplaceId',
  'purchaseDate',
  'lastUpdateDate',
  'orderStatus',
  'fulfillmentChannel',
  'salesChannel',
  'orderTotal',
  'currency',
  'numberOfItems',
  'isBusinessOrder',
  'isPrime',
  'shipCityHash',
  'shipStateCode',
  'shipCountryCode',
  'trackingNumber',
  'carrier',
  'estimatedDelivery',
  'promotionDiscount',
  'tax',
] as const;

const ITEM_UPDATE = [
  'asin',
  'sku',
  'title',
  'quantity',
  'itemPrice',
  'itemTax',
  'shippingPrice',
  'promotionDiscount',
  'currency',
] as const;

/**
 * Writes a batch of orders with two or three statements whatever its size. An older copy of an order
 * (a late report, an out-of-order notification) never overwrites a newer one.
 */
export async function writeOrders(
  ctx: Pick<SyncContext, 'db' | 'tenantId'>,
  batch: MappedOrder[],
  source: 'api' | 'report',
): Promise<number> {
  if (batch.length === 0) return 0;
  const { db, tenantId } = ctx;
  const unique = dedupeBy(batch, (m) => m.order.amazonOrderId);
  const ids = unique.map((m) => m.order.amazonOrderId);
  await upsertColumns(
    db,
    orders,
    unique.map((m) => ({ ...m.order, updatedAt: new Date() })),
    {
      columns: ['tenantId', 'amazonOrderId', ...ORDER_UPDATE, 'updatedAt'],
      target: [orders.tenantId, orders.amazonOrderId],
      update: [...ORDER_UPDATE, 'updatedAt'],
      where: sql`excluded.last_update_date >= ${orders.lastUpdateDate}`,
    },
  );
  let items = unique.flatMap((m) => m.items);
  if (source === 'api') {
    // The API knows the real order item ids: lines stored from a report (keyed by SKU) give way.
    await db
      .delete(orderItems)
      .where(
        and(
          eq(orderItems.tenantId, tenantId),
          inArray(orderItems.amazonOrderId, ids),
          sql`${orderItems.orderItemId} LIKE ${`${SYNTHETIC_ITEM_PREFIX}%`}`,
        ),
      );
  } else {
    // Orders whose lines already came from the API keep them.
    const known = await db
      .selectDistinct({ id: orderItems.amazonOrderId })
      .from(orderItems)
      .where(
        and(
          eq(orderItems.tenantId, tenantId),
          inArray(orderItems.amazonOrderId, ids),
          notLike(orderItems.orderItemId, `${SYNTHETIC_ITEM_PREFIX}%`),
        ),
      );
    const skip = new Set(known.map((k) => k.id));
    if (skip.size > 0) items = items.filter((i) => !skip.has(i.amazonOrderId));
  }
  await upsertColumns(
    db,
    orderItems,
    dedupeBy(items, (i) => `${i.amazonOrderId}\u0000${i.orderItemId}`).map((i) => ({
      ...i,
      updatedAt: new Date(),
    })),
    {
      columns: ['tenantId', 'amazonOrderId', 'orderItemId', ...ITEM_UPDATE, 'updatedAt'],
      target: [orderItems.tenantId, orderItems.amazonOrderId, orderItems.orderItemId],
      update: [...ITEM_UPDATE, 'updatedAt'],
    },
  );
  return unique.length;
}

/** Backfill through the flat-file report: one report for the whole range, streamed. */
export async function backfillOrders(
  ctx: SyncContext,
  range: { start: Date; end: Date },
): Promise<SyncOutcome> {
  const end = new Date(Math.min(range.end.getTime(), Date.now() - AMAZON_LAG_MS));
  const target = ctx.job.target ?? {};
  let reportId = typeof target.reportId === 'string' ? target.reportId : undefined;
  if (!reportId) {
    reportId = await requestReport(ctx.sp, {
      reportType: ORDERS_REPORT,
      marketplaceIds: ctx.marketplaceIds,
      dataStartTime: range.start.toISOString(),
      dataEndTime: end.toISOString(),
    });
    // A retried attempt resumes this report instead of asking Amazon for another.
    await ctx.remember({ reportId });
  }
  await ctx.progress(10, 0);
  const documentId = await waitForReport(ctx.sp, reportId, ctx.tuning.poll);
  await ctx.progress(30, 0);
  const keys = ctx.env.TOKEN_ENCRYPTION_KEYS;
  let records = 0;
  let batch: MappedOrder[] = [];
  let lines: Record<string, string>[] = [];
  const flushOrder = async () => {
    if (lines.length > 0) batch.push(await mapReportOrder(lines, ctx.tenantId, keys));
    lines = [];
  };
  // Lines of one order are adjacent in the file; an order is written only when all its lines are read.
  for await (const row of reportRows(ctx.sp, documentId, ctx.fetcher)) {
    if (!row['amazon-order-id']) continue;
    if (lines.length > 0 && lines[0]!['amazon-order-id'] !== row['amazon-order-id']) {
      await flushOrder();
      if (batch.length >= ORDER_BATCH) {
        records += await writeOrders(ctx, batch, 'report');
        batch = [];
        await ctx.progress(30 + Math.min(65, records / 1000), records);
      }
    }
    lines.push(row);
  }
  await flushOrder();
  records += await writeOrders(ctx, batch, 'report');
  await advanceCursor(ctx.db, ctx.tenantId, 'orders', end);
  return { records, errors: 0, warnings: [], affected: { from: range.start, to: end } };
}

/** Incremental: searchOrders by last-updated time since the cursor, lagging two minutes. */
export async function incrementalOrders(ctx: SyncContext): Promise<SyncOutcome> {
  const cursor = (await readCursor(ctx.db, ctx.tenantId, 'orders')) ?? new Date(Date.now() - 86_400_000);
  const before = new Date(Date.now() - AMAZON_LAG_MS);
  if (before <= cursor) return { records: 0, errors: 0, warnings: [] };
  const keys = ctx.env.TOKEN_ENCRYPTION_KEYS;
  let records = 0;
  let earliest = before;
  for await (const page of ctx.sp.searchOrders({
    lastUpdatedAfter: cursor.toISOString(),
    lastUpdatedBefore: before.toISOString(),
    marketplaceIds: ctx.marketplaceIds,
  })) {
    const mapped = await Promise.all(page.map((o) => mapApiOrder(o, ctx.tenantId, keys)));
    for (const m of mapped) if (m.order.purchaseDate! < earliest) earliest = m.order.purchaseDate as Date;
    records += await writeOrders(ctx, mapped, 'api');
    await ctx.progress(50, records);
  }
  await advanceCursor(ctx.db, ctx.tenantId, 'orders', before);
  return { records, errors: 0, warnings: [], affected: { from: earliest, to: before } };
}

/** One order (notification-driven). */
export async function syncOneOrder(ctx: SyncContext, orderId: string): Promise<SyncOutcome> {
  const { order } = await ctx.sp.getOrder(orderId);
  const mapped = await mapApiOrder(order, ctx.tenantId, ctx.env.TOKEN_ENCRYPTION_KEYS);
  await writeOrders(ctx, [mapped], 'api');
  const at = mapped.order.purchaseDate as Date;
  return { records: 1, errors: 0, warnings: [], affected: { from: at, to: at } };
}
