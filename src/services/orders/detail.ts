import { and, eq, sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { financeEvents, orderItems, orders, products } from '../../db/schema';
import { toIso } from '../../lib/dates';
import { NotFoundError } from '../../lib/errors';
import { decimal, money, percentOf, sub, sum } from '../../lib/money';
import type { TenantContext } from '../context';
import { FEE_LINES, type FeeLine, feeLineOf } from '../finance/fee-types';
import { orderCurrency, orderFields, toOrder } from './order-view';

type OrderContext = Pick<TenantContext, 'db' | 'tenant'>;

/** Posted fees of one order, per ASIN (null: order-level) and P&L fee line, as positive amounts. */
export type PostedFeeRow = {
  asin: string | null;
  line: FeeLine;
  amount: string;
};

type RefundRow = {
  amount: string | null;
};

/** What the fee totals need of an order line. */
export interface FeeSource {
  asin: string;
  feeStatus: 'estimated' | 'settled';
  referralFee: string | null;
  fbaFee: string | null;
  otherFees: string | null;
}

/**
 * Fees of one order per P&L fee line. A settled line whose ASIN has posted fee events counts those
 * events (once per ASIN, however many lines share it); any other line counts the fee estimates stored
 * on it, which also add up to `estimated`. Order-level posted fees (no ASIN) always count.
 */
export function orderFees(items: readonly FeeSource[], posted: readonly PostedFeeRow[]) {
  const fees = new Map<FeeLine, string>(FEE_LINES.map((line) => [line, '0']));
  const add = (line: FeeLine, amount: string | null) => fees.set(line, sum(fees.get(line), amount));
  const settledAsins = new Set<string>();
  let estimated = '0';
  for (const item of items) {
    const hasPosted = posted.some((f) => f.asin === item.asin);
    if (item.feeStatus === 'settled' && hasPosted) {
      if (settledAsins.has(item.asin)) continue;
      settledAsins.add(item.asin);
      for (const f of posted) if (f.asin === item.asin) add(f.line, f.amount);
    } else {
      add('referral', item.referralFee);
      add('fbaFulfillment', item.fbaFee);
      add('other', item.otherFees);
      estimated = sum(estimated, item.referralFee, item.fbaFee, item.otherFees);
    }
  }
  for (const f of posted) if (f.asin === null) add(f.line, f.amount);
  return { fees, estimated };
}

async function findOrder(ctx: OrderContext, amazonOrderId: string) {
  const [order] = await ctx.db
    .select({
      ...orderFields,
      shipCityHash: orders.shipCityHash,
      trackingNumber: orders.trackingNumber,
      carrier: orders.carrier,
      estimatedDelivery: orders.estimatedDelivery,
    })
    .from(orders)
    .where(and(eq(orders.tenantId, ctx.tenant.id), eq(orders.amazonOrderId, amazonOrderId)))
    .limit(1);
  if (!order) throw new NotFoundError('Order not found');
  return order;
}

/** The order's lines with their COGS (quantity × the listing's unit cost, null without a cost). */
function orderLines(ctx: OrderContext, amazonOrderId: string, marketplaceId: string) {
  return ctx.db
    .select({
      orderItemId: orderItems.orderItemId,
      asin: orderItems.asin,
      sku: orderItems.sku,
      title: orderItems.title,
      quantity: orderItems.quantity,
      itemPrice: orderItems.itemPrice,
      itemTax: orderItems.itemTax,
      shippingPrice: orderItems.shippingPrice,
      promotionDiscount: orderItems.promotionDiscount,
      feeStatus: orderItems.feeStatus,
      referralFee: orderItems.referralFee,
      fbaFee: orderItems.fbaFee,
      otherFees: orderItems.otherFees,
      cogs: sql<string | null>`(${orderItems.quantity} * ${products.cost})::text`,
    })
    .from(orderItems)
    .leftJoin(
      products,
      and(
        eq(products.tenantId, orderItems.tenantId),
        eq(products.asin, orderItems.asin),
        eq(products.marketplaceId, marketplaceId),
      ),
    )
    .where(and(eq(orderItems.tenantId, ctx.tenant.id), eq(orderItems.amazonOrderId, amazonOrderId)))
    .orderBy(orderItems.orderItemId);
}

type OrderLine = Awaited<ReturnType<typeof orderLines>>[number];

function postedFees(ctx: OrderContext, amazonOrderId: string) {
  return queryRows<PostedFeeRow>(
    ctx.db,
    sql`SELECT ${financeEvents.asin} AS asin, ${feeLineOf(sql`${financeEvents.feeType}`)} AS line,
               (-sum(${financeEvents.amount}))::text AS amount
        FROM ${financeEvents}
        WHERE ${financeEvents.tenantId} = ${ctx.tenant.id} AND ${financeEvents.amazonOrderId} = ${amazonOrderId}
          AND ${financeEvents.category} = 'fee'
        GROUP BY 1, 2`,
  );
}

async function refundTotal(ctx: OrderContext, amazonOrderId: string): Promise<string> {
  const [row] = await queryRows<RefundRow>(
    ctx.db,
    sql`SELECT (-sum(${financeEvents.amount}))::text AS amount FROM ${financeEvents}
        WHERE ${financeEvents.tenantId} = ${ctx.tenant.id} AND ${financeEvents.amazonOrderId} = ${amazonOrderId}
          AND ${financeEvents.category} = 'refund'`,
  );
  return row?.amount ?? '0';
}

function toItem(i: OrderLine, currency: string) {
  const m = (v: string | null) => (v === null ? null : money(v, currency));
  return {
    orderItemId: i.orderItemId,
    asin: i.asin,
    sku: i.sku,
    title: i.title,
    quantity: i.quantity,
    itemPrice: m(i.itemPrice),
    itemTax: m(i.itemTax),
    shippingPrice: m(i.shippingPrice),
    promotionDiscount: m(i.promotionDiscount),
    feeStatus: i.feeStatus,
    estimatedFees: { referral: m(i.referralFee), fba: m(i.fbaFee), other: m(i.otherFees) },
  };
}

/** revenue = Σ (item price − promotion); profit = revenue − fees − refunds − COGS. */
function financials(
  items: readonly OrderLine[],
  posted: readonly PostedFeeRow[],
  refunds: string,
  currency: string,
) {
  const { fees, estimated } = orderFees(items, posted);
  const revenue = sum(...items.map((i) => sub(i.itemPrice, i.promotionDiscount)));
  const feesTotal = sum(...fees.values());
  const cogs = sum(...items.map((i) => i.cogs));
  const profit = sub(sub(sub(revenue, feesTotal), refunds), cogs);
  const allSettled = items.length > 0 && items.every((i) => i.feeStatus === 'settled');
  return {
    currency,
    revenue: money(revenue, currency),
    fees: {
      ...Object.fromEntries(FEE_LINES.map((line) => [line, money(fees.get(line), currency)])),
      total: money(feesTotal, currency),
    },
    refunds: money(refunds, currency),
    cogs: money(cogs, currency),
    profit: money(profit, currency),
    margin: percentOf(decimal(profit), decimal(revenue)),
    feeStatus: allSettled ? 'settled' : 'estimated',
    estimatedFees: money(estimated, currency),
  };
}

/**
 * One order with its lines and financials. Fees of settled lines are the posted finance events
 * (grouped into P&L fee lines); lines still "estimated" use the fee estimates stored on the line.
 */
export async function getOrderDetail(ctx: OrderContext, input: { amazonOrderId: string }) {
  const order = await findOrder(ctx, input.amazonOrderId);
  const currency = orderCurrency(order) ?? ctx.tenant.currency;
  const [items, posted, refunds] = await Promise.all([
    orderLines(ctx, input.amazonOrderId, order.marketplaceId),
    postedFees(ctx, input.amazonOrderId),
    refundTotal(ctx, input.amazonOrderId),
  ]);
  return {
    order: toOrder(order, ctx.tenant.currency),
    items: items.map((i) => toItem(i, currency)),
    customer: {
      cityHash: order.shipCityHash,
      stateCode: order.shipStateCode,
      countryCode: order.shipCountryCode,
    },
    fulfillment: {
      status: order.orderStatus,
      channel: order.fulfillmentChannel,
      trackingNumber: order.trackingNumber,
      carrier: order.carrier,
      estimatedDelivery: toIso(order.estimatedDelivery),
    },
    financial: financials(items, posted, refunds, currency),
  };
}
