import { Hono } from 'hono';
import { type Cursor, decodeToken, encodeToken, type OrderQuery, scanOrders } from '../data/order-query';
import { orderItemV0, orderV0 } from '../data/order-views';
import { findOrder, type OrderStatus } from '../data/orders';
import { invalidInput, notFound } from '../lib/errors';
import { intParam, listParam, timeParam } from '../lib/params';
import { type SpEnv, spGate } from '../lib/sp-gate';

/** Orders API v0 (deprecated by Amazon, still served until 2027-03-27). */
export const ordersV0 = new Hono<SpEnv>();

type PageToken = { q: OrderQuery; c: Cursor; n: number };
const V0_STATUSES: OrderStatus[] = ['Pending', 'Unshipped', 'Shipped', 'Canceled'];

ordersV0.get('/orders/v0/orders', spGate('getOrdersV0'), (c) => {
  const seller = c.get('seller');
  const nextToken = c.req.query('NextToken');
  let query: OrderQuery;
  let cursor: Cursor | undefined;
  let limit: number;
  const decoded = nextToken ? decodeToken<PageToken>(nextToken) : undefined;
  // A token we did not issue only works alongside a full query (Amazon's sandbox examples send both).
  if (nextToken && !decoded?.q && !c.req.query('CreatedAfter') && !c.req.query('LastUpdatedAfter'))
    return invalidInput(c, 'Invalid NextToken.');
  if (decoded?.q && decoded.c) {
    const t = decoded;
    query = t.q;
    cursor = t.c;
    limit = t.n;
  } else {
    const marketplaceIds = listParam(c, 'MarketplaceIds');
    if (marketplaceIds.length === 0) return invalidInput(c, 'MarketplaceIds is a required parameter.');
    const createdAfter = timeParam(c, 'CreatedAfter');
    const createdBefore = timeParam(c, 'CreatedBefore');
    const updatedAfter = timeParam(c, 'LastUpdatedAfter');
    const updatedBefore = timeParam(c, 'LastUpdatedBefore');
    for (const [name, v] of Object.entries({
      CreatedAfter: createdAfter,
      CreatedBefore: createdBefore,
      LastUpdatedAfter: updatedAfter,
      LastUpdatedBefore: updatedBefore,
    })) {
      if (v === 'invalid')
        return invalidInput(c, `Invalid Input: ${name} is not a valid ISO 8601 date time.`);
    }
    if ((createdAfter === undefined) === (updatedAfter === undefined)) {
      return invalidInput(c, 'Exactly one of CreatedAfter and LastUpdatedAfter must be specified.');
    }
    const max = intParam(c, 'MaxResultsPerPage', 100);
    if (max === undefined || max < 1 || max > 100)
      return invalidInput(c, 'MaxResultsPerPage must be between 1 and 100.');
    const now = Date.now();
    const before = (createdBefore ?? updatedBefore) as number | undefined;
    if (before !== undefined && before > now - 120_000) {
      return invalidInput(
        c,
        `${createdAfter !== undefined ? 'CreatedBefore' : 'LastUpdatedBefore'} must be at least two minutes before the time of the request.`,
      );
    }
    const statuses = listParam(c, 'OrderStatuses');
    const unknown = statuses.find(
      (s) =>
        ![
          'Pending',
          'Unshipped',
          'PartiallyShipped',
          'Shipped',
          'Canceled',
          'Unfulfillable',
          'InvoiceUnconfirmed',
          'PendingAvailability',
        ].includes(s),
    );
    if (unknown) return invalidInput(c, `Invalid OrderStatuses value: ${unknown}`);
    query = {
      by: createdAfter !== undefined ? 'created' : 'lastUpdated',
      fromMs: (createdAfter ?? updatedAfter) as number,
      toMs: before ?? now,
      marketplaceIds,
      statuses: statuses.filter((s): s is OrderStatus => V0_STATUSES.includes(s as OrderStatus)),
      fulfillment: listParam(c, 'FulfillmentChannels').filter(
        (f): f is 'AFN' | 'MFN' => f === 'AFN' || f === 'MFN',
      ),
      nowMs: now,
    };
    if (statuses.length > 0 && query.statuses?.length === 0)
      query.statuses = ['Unfulfillable' as OrderStatus];
    limit = max;
  }
  const page = scanOrders(seller, query, limit, cursor);
  const payload: Record<string, unknown> = { Orders: page.orders.map((o) => orderV0(o, query.nowMs)) };
  if (page.next) payload.NextToken = encodeToken({ q: query, c: page.next, n: limit } satisfies PageToken);
  if (query.by === 'created') payload.CreatedBefore = new Date(query.toMs).toISOString();
  else payload.LastUpdatedBefore = new Date(query.toMs).toISOString();
  return c.json({ payload });
});

ordersV0.get('/orders/v0/orders/:orderId', spGate('getOrderV0'), (c) => {
  const order = findOrder(c.get('seller'), c.req.param('orderId'));
  const now = Date.now();
  if (!order || order.createdMs > now) {
    return /^\d{3}-\d{7}-\d{7}$/.test(c.req.param('orderId'))
      ? notFound(c, 'Order not found.')
      : invalidInput(c, 'Invalid orderId.');
  }
  return c.json({ payload: orderV0(order, now) });
});

ordersV0.get('/orders/v0/orders/:orderId/orderItems', spGate('getOrderItemsV0'), (c) => {
  const order = findOrder(c.get('seller'), c.req.param('orderId'));
  const now = Date.now();
  if (!order || order.createdMs > now) {
    return /^\d{3}-\d{7}-\d{7}$/.test(c.req.param('orderId'))
      ? notFound(c, 'Order not found.')
      : invalidInput(c, 'Invalid orderId.');
  }
  return c.json({
    payload: { AmazonOrderId: order.orderId, OrderItems: order.lines.map((l) => orderItemV0(order, l, now)) },
  });
});
