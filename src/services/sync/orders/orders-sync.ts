import { and, eq, gte, inArray, like, notLike, sql } from 'drizzle-orm';
import { type FinishedReport, reportRows, requestReport, waitForReport } from '../../../amazon/reports';
import type { Database } from '../../../db/client';
import { orderItems, orders } from '../../../db/schema';
import { dedupeBy, upsertColumns } from '../../../db/upsert';
import type { TenantInfo } from '../../context';
import type { SpSyncContext, SyncOutcome } from '../engine/context';
import { retailMarketplaceIds } from '../marketplaces';
import {
  type MappedOrder,
  mapApiOrder,
  mapReportOrder,
  ORDERS_REPORT,
  SYNTHETIC_ITEM_PREFIX,
} from './orders-map';

/** Amazon serves an order report for at most 30 days per request (a longer one is a one-line message). */
const REPORT_WINDOW_MS = 30 * 86_400_000;
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

type OrdersContext = { db: Database; tenant: Pick<TenantInfo, 'id'> };

/**
 * Writes a batch of orders with two or three statements whatever its size. An older copy of an order
 * (a late report, an out-of-order notification) never overwrites a newer one.
 */
async function writeOrders(
  ctx: OrdersContext,
  batch: MappedOrder[],
  source: 'api' | 'report',
): Promise<number> {
  if (batch.length === 0) return 0;
  const unique = dedupeBy(batch, (m) => m.order.amazonOrderId);
  await upsertColumns(
    ctx.db,
    orders,
    unique.map((m) => ({ ...m.order, updatedAt: new Date() })),
    {
      columns: ['tenantId', 'amazonOrderId', ...ORDER_UPDATE, 'updatedAt'],
      target: [orders.tenantId, orders.amazonOrderId],
      update: [...ORDER_UPDATE, 'updatedAt'],
      where: gte(sql`excluded.${sql.identifier(orders.lastUpdateDate.name)}`, orders.lastUpdateDate),
    },
  );
  const items = await linesToWrite(ctx, unique, source);
  await upsertColumns(
    ctx.db,
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

/**
 * Lines from the API carry Amazon's order item ids: lines stored from a report (keyed by SKU) give
 * way to them. Lines from a report are skipped for orders whose lines already came from the API.
 */
async function linesToWrite(ctx: OrdersContext, batch: MappedOrder[], source: 'api' | 'report') {
  const items = batch.flatMap((m) => m.items);
  const ofBatch = and(
    eq(orderItems.tenantId, ctx.tenant.id),
    inArray(
      orderItems.amazonOrderId,
      batch.map((m) => m.order.amazonOrderId),
    ),
  );
  const synthetic = `${SYNTHETIC_ITEM_PREFIX}%`;
  if (source === 'api') {
    await ctx.db.delete(orderItems).where(and(ofBatch, like(orderItems.orderItemId, synthetic)));
    return items;
  }
  const known = await ctx.db
    .selectDistinct({ id: orderItems.amazonOrderId })
    .from(orderItems)
    .where(and(ofBatch, notLike(orderItems.orderItemId, synthetic)));
  const skip = new Set(known.map((k) => k.id));
  return skip.size > 0 ? items.filter((i) => !skip.has(i.amazonOrderId)) : items;
}

/** One order (a notification), a date range (backfill) or everything since the cursor. */
export function syncOrders(ctx: SpSyncContext): Promise<SyncOutcome> {
  const { target, job } = ctx.run;
  if (typeof target.amazonOrderId === 'string') return syncOneOrder(ctx, target.amazonOrderId);
  if (job.rangeStart && job.rangeEnd)
    return backfillOrders(ctx, { start: job.rangeStart, end: job.rangeEnd });
  return incrementalOrders(ctx);
}

interface ReportWindow {
  start: Date;
  end: Date;
}

const wholeSecond = (at: Date) => new Date(Math.floor(at.getTime() / 1000) * 1000);

/**
 * [start, end] cut into consecutive windows of at most 30 days, oldest first. Bounds are whole
 * seconds, as Amazon echoes a report's dataStartTime, so a window is found again from its report.
 */
function reportWindows(start: Date, end: Date): ReportWindow[] {
  const windows: ReportWindow[] = [];
  const last = wholeSecond(end).getTime();
  for (let from = wholeSecond(start).getTime(); from < last; from += REPORT_WINDOW_MS) {
    windows.push({ start: new Date(from), end: new Date(Math.min(from + REPORT_WINDOW_MS, last)) });
  }
  return windows;
}

/**
 * Where a retried backfill picks up: the report the last attempt waited for is the checkpoint, as
 * Amazon keeps its dataStartTime; its window is read from it without asking Amazon again.
 */
async function resumePoint(
  ctx: SpSyncContext,
  windows: ReportWindow[],
): Promise<{ index: number; report?: FinishedReport }> {
  const reportId = ctx.run.resume.reportId;
  if (!reportId) return { index: 0 };
  const report = await waitForReport(ctx.sp, reportId, ctx.tuning.poll);
  const startedAt = wholeSecond(new Date(report.report.dataStartTime ?? Number.NaN)).getTime();
  const index = windows.findIndex((w) => w.start.getTime() === startedAt);
  return index < 0 ? { index: 0 } : { index, report };
}

/** Requests one window's report, remembers it as the checkpoint, and waits for it to end. */
async function windowReport(
  ctx: SpSyncContext,
  window: ReportWindow,
  marketplaceIds: string[],
): Promise<FinishedReport> {
  const reportId = await requestReport(ctx.sp, {
    reportType: ORDERS_REPORT.name,
    marketplaceIds,
    dataStartTime: window.start.toISOString(),
    dataEndTime: window.end.toISOString(),
  });
  await ctx.run.remember({ reportId });
  return waitForReport(ctx.sp, reportId, ctx.tuning.poll);
}

/**
 * Backfill through the flat-file report, one report per window of at most 30 days, oldest first.
 * A window Amazon cancels had no orders; a document that is not the report fails the job.
 */
async function backfillOrders(ctx: SpSyncContext, range: { start: Date; end: Date }): Promise<SyncOutcome> {
  const end = new Date(Math.min(range.end.getTime(), Date.now() - AMAZON_LAG_MS));
  const marketplaceIds = await retailMarketplaceIds(ctx);
  const windows = marketplaceIds.length > 0 ? reportWindows(range.start, end) : [];
  const resumed = await resumePoint(ctx, windows);
  let records = 0;
  for (let i = resumed.index; i < windows.length; i++) {
    const finished =
      i === resumed.index && resumed.report
        ? resumed.report
        : await windowReport(ctx, windows[i]!, marketplaceIds);
    const percent = 5 + (90 * i) / windows.length;
    await ctx.run.progress(percent, records);
    if (finished.documentId)
      records += await writeReportOrders(ctx, finished.documentId, { percent, records });
  }
  await ctx.run.advanceCursor(end);
  return { records, errors: 0, warnings: [], affected: { from: range.start, to: end } };
}

/** Streams the report into batches of whole orders: an order is written once all its lines are read. */
async function writeReportOrders(
  ctx: SpSyncContext,
  documentId: string,
  before: { percent: number; records: number },
): Promise<number> {
  const keys = ctx.env.TOKEN_ENCRYPTION_KEYS;
  let records = 0;
  let batch: MappedOrder[] = [];
  let lines: Record<string, string>[] = [];
  const flushOrder = async () => {
    if (lines.length > 0) batch.push(await mapReportOrder(lines, ctx.tenant.id, keys));
    lines = [];
  };
  // Lines of one order are adjacent in the file.
  for await (const row of reportRows(ctx.sp, documentId, ORDERS_REPORT)) {
    if (!row['amazon-order-id']) continue;
    if (lines.length > 0 && lines[0]!['amazon-order-id'] !== row['amazon-order-id']) {
      await flushOrder();
      if (batch.length >= ORDER_BATCH) {
        records += await writeOrders(ctx, batch, 'report');
        batch = [];
        await ctx.run.progress(before.percent, before.records + records);
      }
    }
    lines.push(row);
  }
  await flushOrder();
  return records + (await writeOrders(ctx, batch, 'report'));
}

/** Incremental: searchOrders by last-updated time since the cursor, lagging two minutes. */
async function incrementalOrders(ctx: SpSyncContext): Promise<SyncOutcome> {
  const cursor = (await ctx.run.cursor()) ?? new Date(Date.now() - 86_400_000);
  const before = new Date(Date.now() - AMAZON_LAG_MS);
  const marketplaceIds = await retailMarketplaceIds(ctx);
  if (before <= cursor || marketplaceIds.length === 0) return { records: 0, errors: 0, warnings: [] };
  const keys = ctx.env.TOKEN_ENCRYPTION_KEYS;
  let records = 0;
  let earliest = before;
  for await (const page of ctx.sp.searchOrders({
    lastUpdatedAfter: cursor.toISOString(),
    lastUpdatedBefore: before.toISOString(),
    marketplaceIds,
  })) {
    const mapped = await Promise.all(page.orders.map((o) => mapApiOrder(o, ctx.tenant.id, keys)));
    for (const m of mapped) if (m.order.purchaseDate < earliest) earliest = m.order.purchaseDate;
    records += await writeOrders(ctx, mapped, 'api');
    await ctx.run.progress(50, records);
  }
  await ctx.run.advanceCursor(before);
  return { records, errors: 0, warnings: [], affected: { from: earliest, to: before } };
}

/** One order (notification-driven). */
async function syncOneOrder(ctx: SpSyncContext, orderId: string): Promise<SyncOutcome> {
  const { order } = await ctx.sp.getOrder(orderId);
  const mapped = await mapApiOrder(order, ctx.tenant.id, ctx.env.TOKEN_ENCRYPTION_KEYS);
  await writeOrders(ctx, [mapped], 'api');
  const at = mapped.order.purchaseDate;
  return { records: 1, errors: 0, warnings: [], affected: { from: at, to: at } };
}
