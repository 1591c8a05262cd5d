import { eq, inArray, type SQL, sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { localDayWindow } from '../../db/local-days';
import { type ORDER_STATUSES, orderItems, orders } from '../../db/schema';
import { assertRange, type DayRange } from '../../lib/dates';
import { divide, money } from '../../lib/money';
import type { TenantContext } from '../context';
import { orderFields, toOrder } from './order-view';

export interface OrderListInput extends DayRange {
  page: number;
  limit: number;
  status?: Array<(typeof ORDER_STATUSES)[number]>;
  fulfillmentChannel?: 'AFN' | 'MFN';
  marketplaceId?: string;
  minAmount?: number;
  maxAmount?: number;
  currency?: string;
  sortBy: 'purchaseDate' | 'orderTotal';
  sortOrder: 'asc' | 'desc';
}

type OrdersContext = Pick<TenantContext, 'db' | 'tenant'>;

type OrderSummaryRow = {
  orders: number;
  revenue: string | null;
  units: number | null;
};

/** The tenant's orders purchased on the input's local days that pass every filter. */
function orderFilter(ctx: OrdersContext, input: OrderListInput): SQL {
  const conditions = [
    eq(orders.tenantId, ctx.tenant.id),
    localDayWindow(sql`${orders.purchaseDate}`, ctx.tenant.timezone, input.start, input.end),
  ];
  if (input.status?.length) conditions.push(inArray(orders.orderStatus, input.status));
  if (input.fulfillmentChannel) conditions.push(eq(orders.fulfillmentChannel, input.fulfillmentChannel));
  if (input.marketplaceId) conditions.push(eq(orders.marketplaceId, input.marketplaceId));
  if (input.minAmount !== undefined) conditions.push(sql`${orders.orderTotal} >= ${input.minAmount}`);
  if (input.maxAmount !== undefined) conditions.push(sql`${orders.orderTotal} <= ${input.maxAmount}`);
  return sql.join(conditions, sql` AND `);
}

function orderPage(ctx: OrdersContext, input: OrderListInput, filter: SQL) {
  const key = input.sortBy === 'orderTotal' ? orders.orderTotal : orders.purchaseDate;
  const dir = sql.raw(input.sortOrder === 'asc' ? 'ASC NULLS FIRST' : 'DESC NULLS LAST');
  return ctx.db
    .select(orderFields)
    .from(orders)
    .where(filter)
    .orderBy(sql`${key} ${dir}`, sql`${orders.amazonOrderId} ${dir}`)
    .limit(input.limit)
    .offset((input.page - 1) * input.limit);
}

/** Orders in `currency` (an order without one counts as the tenant's) and their items' revenue and units. */
async function orderSummary(ctx: OrdersContext, filter: SQL, currency: string): Promise<OrderSummaryRow> {
  const [row] = await queryRows<OrderSummaryRow>(
    ctx.db,
    sql`WITH f AS (SELECT ${orders.amazonOrderId} AS id FROM ${orders}
                   WHERE ${filter} AND coalesce(trim(${orders.currency}), ${ctx.tenant.currency}) = ${currency})
        SELECT (SELECT count(*) FROM f)::int AS orders,
               sum(coalesce(${orderItems.itemPrice}, 0) - coalesce(${orderItems.promotionDiscount}, 0))::text AS revenue,
               sum(${orderItems.quantity})::int AS units
        FROM ${orderItems}
        WHERE ${orderItems.tenantId} = ${ctx.tenant.id} AND ${orderItems.amazonOrderId} IN (SELECT id FROM f)`,
  );
  return row ?? { orders: 0, revenue: null, units: null };
}

/**
 * Orders purchased on [startDate, endDate] (tenant-local days). The summary adds up the orders in one
 * currency (`currency`, default the tenant's): revenue = Σ (item price − promotion discount), tax excluded.
 */
export async function listOrders(ctx: OrdersContext, input: OrderListInput) {
  assertRange(input);
  const currency = input.currency ?? ctx.tenant.currency;
  const filter = orderFilter(ctx, input);
  const [rows, total, s] = await Promise.all([
    orderPage(ctx, input, filter),
    ctx.db.$count(orders, filter),
    orderSummary(ctx, filter, currency),
  ]);
  return {
    orders: rows.map((r) => toOrder(r, ctx.tenant.currency)),
    pagination: { page: input.page, limit: input.limit, total, pages: Math.ceil(total / input.limit) },
    summary: {
      currency,
      totalOrders: s.orders,
      totalRevenue: money(s.revenue ?? '0', currency),
      avgOrderValue: money(divide(s.revenue ?? '0', String(s.orders)) ?? '0', currency),
      totalUnits: s.units ?? 0,
    },
  };
}
