import { Hono } from 'hono';
import { type Cursor, decodeToken, encodeToken, type OrderQuery, scanOrders } from '../data/order-query';
import { order2026 } from '../data/order-views';
import { findOrder, type OrderStatus } from '../data/orders';
import { invalidInput, notFound } from '../lib/errors';
import { differentArguments, type PageArguments, pageArguments } from '../lib/paging';
import { intParam, listParam, timeParam } from '../lib/params';
import { type SpEnv, spGate } from '../lib/sp-gate';

/** Orders API 2026-01-01: searchOrders and getOrder (items always included). */
export const orders2026 = new Hono<SpEnv>();

/** The query, where it stopped, and the arguments that produced it (page 2+ must repeat them). */
type PageToken = { q: OrderQuery; c: Cursor; n: number; inc: string[]; exp: number; a: PageArguments };
const STATUS_MAP: Record<string, OrderStatus> = {
  PENDING: 'Pending',
  UNSHIPPED: 'Unshipped',
  SHIPPED: 'Shipped',
  CANCELLED: 'Canceled',
};
const INCLUDED = [
  'BUYER',
  'RECIPIENT',
  'PROCEEDS',
  'EXPENSE',
  'PROMOTION',
  'CANCELLATION',
  'FULFILLMENT',
  'PACKAGES',
  'TAX',
  'PAYMENT',
  'FULFILLMENT_ORDERS',
];

orders2026.get('/orders/2026-01-01/orders', spGate('searchOrders'), (c) => {
  const seller = c.get('seller');
  const token = c.req.query('paginationToken');
  let query: OrderQuery;
  let cursor: Cursor | undefined;
  let limit: number;
  let included: string[];
  let args: PageArguments;
  const decoded = token ? decodeToken<PageToken>(token) : undefined;
  // A token we did not issue only works alongside a full query (Amazon's sandbox examples send both).
  if (token && !decoded?.q && !c.req.query('createdAfter') && !c.req.query('lastUpdatedAfter'))
    return invalidInput(c, 'Invalid paginationToken.');
  if (decoded?.q && decoded.c) {
    const t = decoded;
    // Amazon's pagination tokens expire after 24 hours.
    if (t.exp < Date.now()) return invalidInput(c, 'The paginationToken has expired.');
    const refused = differentArguments(c, 'paginationToken', t.a);
    if (refused) return refused;
    ({ q: query, c: cursor, n: limit, inc: included, a: args } = t);
  } else {
    const createdAfter = timeParam(c, 'createdAfter');
    const createdBefore = timeParam(c, 'createdBefore');
    const updatedAfter = timeParam(c, 'lastUpdatedAfter');
    const updatedBefore = timeParam(c, 'lastUpdatedBefore');
    for (const [name, v] of Object.entries({
      createdAfter,
      createdBefore,
      lastUpdatedAfter: updatedAfter,
      lastUpdatedBefore: updatedBefore,
    })) {
      if (v === 'invalid')
        return invalidInput(c, `Invalid Input: ${name} is not a valid ISO 8601 date time.`);
    }
    if ((createdAfter === undefined) === (updatedAfter === undefined)) {
      return invalidInput(c, 'Exactly one of createdAfter and lastUpdatedAfter must be specified.');
    }
    if (createdBefore !== undefined && createdAfter === undefined)
      return invalidInput(c, 'createdBefore requires createdAfter.');
    if (updatedBefore !== undefined && updatedAfter === undefined)
      return invalidInput(c, 'lastUpdatedBefore requires lastUpdatedAfter.');
    const max = intParam(c, 'maxResultsPerPage', 100);
    if (max === undefined || max < 1 || max > 100)
      return invalidInput(c, 'maxResultsPerPage must be between 1 and 100.');
    included = listParam(c, 'includedData');
    const badInclude = included.find((v) => !INCLUDED.includes(v));
    if (badInclude) return invalidInput(c, `Invalid includedData value: ${badInclude}`);
    const statuses = listParam(c, 'fulfillmentStatuses');
    const fulfilledBy = listParam(c, 'fulfilledBy');
    const now = Date.now();
    query = {
      by: createdAfter !== undefined ? 'created' : 'lastUpdated',
      fromMs: (createdAfter ?? updatedAfter) as number,
      toMs: ((createdBefore ?? updatedBefore) as number | undefined) ?? now,
      marketplaceIds: listParam(c, 'marketplaceIds'),
      statuses: statuses.map((s) => STATUS_MAP[s] ?? ('Unfulfillable' as OrderStatus)),
      fulfillment: fulfilledBy.map((f) => (f === 'AMAZON' ? 'AFN' : 'MFN')),
      nowMs: now,
    };
    limit = max;
    args = pageArguments(c, 'paginationToken');
  }
  const page = scanOrders(seller, query, limit, cursor);
  const inc = new Set(included);
  const body: Record<string, unknown> = { orders: page.orders.map((o) => order2026(o, query.nowMs, inc)) };
  if (page.next) {
    body.pagination = {
      nextToken: encodeToken({
        q: query,
        c: page.next,
        n: limit,
        inc: included,
        exp: Date.now() + 86_400_000,
        a: args,
      } satisfies PageToken),
    };
  }
  if (query.by === 'created') body.createdBefore = new Date(query.toMs).toISOString();
  else body.lastUpdatedBefore = new Date(query.toMs).toISOString();
  return c.json(body);
});

orders2026.get('/orders/2026-01-01/orders/:orderId', spGate('getOrder'), (c) => {
  const included = listParam(c, 'includedData');
  const badInclude = included.find((v) => !INCLUDED.includes(v));
  if (badInclude) return invalidInput(c, `Invalid includedData value: ${badInclude}`);
  const id = c.req.param('orderId');
  const order = findOrder(c.get('seller'), id);
  const now = Date.now();
  if (!order || order.createdMs > now) {
    return /^\d{3}-\d{7}-\d{7}$/.test(id)
      ? notFound(c, 'Order not found.')
      : invalidInput(c, 'Invalid orderId.');
  }
  return c.json({ order: order2026(order, now, new Set(included)) });
});
