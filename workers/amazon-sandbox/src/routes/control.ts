import { type Context, Hono } from 'hono';
import { marketplaceById } from '../data/marketplaces';
import { findOrder, ordersForDay, orderTotalCents, statusAt } from '../data/orders';
import { productBySku } from '../data/products';
import { isValidSellerId, SIZE_PRESETS } from '../data/seller';
import { summarize } from '../data/summary';
import type { AppBindings } from '../env';
import { loadSeller } from '../lib/load-seller';
import { isRateLimitMode, rateLimitMode } from '../lib/rate-limit-mode';
import { sellerStub } from '../lib/seller-stub';
import { dayNumber, isoDate } from '../lib/time';
import { APP_OWNER } from '../lib/tokens';
import { EmitError, type EmitRequest, emit } from '../notify/emit';
import { NOTIFICATION_TYPES } from '../notify/envelope';
import { FAULT_KEYS, type Faults } from '../state/faults';

/**
 * Sandbox control API (not part of Amazon): sizes, faults, data changes, notifications and the
 * ground truth tests compare a sync against.
 */
export const control = new Hono<AppBindings>();

const bad = (c: Context, message: string) => c.json({ error: message }, 400);

control.use('/_sandbox/sellers/:sellerId/*', async (c, next) => {
  if (!isValidSellerId(c.req.param('sellerId') ?? ''))
    return bad(c, 'Seller ids look like A2DEMOSELLER01 (A + 5-20 upper-case letters or digits).');
  await next();
});

const stubOf = (c: Context<AppBindings>) => sellerStub(c.env, c.req.param('sellerId')!);

control.get('/_sandbox/health', (c) => c.json({ status: 'ok' }));

control.get('/_sandbox/presets', (c) =>
  c.json({
    presets: SIZE_PRESETS,
    pattern: 'Seller ids starting with ASBX<PRESET> (e.g. ASBXLARGE01) use that preset; others use demo.',
    defaultSellerId: c.env.DEFAULT_SELLER_ID,
  }),
);

control.get('/_sandbox/sellers/:sellerId/summary', async (c) => {
  const now = Date.now();
  const { seller } = await loadSeller(c.env, c.req.param('sellerId'), now);
  const from = c.req.query('from') ? dayNumber(Date.parse(c.req.query('from')!)) : seller.startDay;
  const to = c.req.query('to') ? dayNumber(Date.parse(c.req.query('to')!)) : seller.endDay;
  if (Number.isNaN(from) || Number.isNaN(to)) return bad(c, 'from and to must be dates (YYYY-MM-DD).');
  return c.json({
    ...summarize(seller, from, to, now),
    counters: await stubOf(c).counters(),
    asOf: new Date(now).toISOString(),
  });
});

control.get('/_sandbox/sellers/:sellerId/counters', async (c) => c.json(await stubOf(c).counters()));

control.get('/_sandbox/sellers/:sellerId/orders', async (c) => {
  const now = Date.now();
  const { seller } = await loadSeller(c.env, c.req.param('sellerId'), now);
  const date = c.req.query('date') ?? isoDate(seller.endDay);
  const day = dayNumber(Date.parse(`${date}T00:00:00Z`));
  if (Number.isNaN(day)) return bad(c, 'date must be YYYY-MM-DD.');
  const orders = ordersForDay(seller, day).filter(
    (o) => o.createdMs <= now && day >= seller.startDay && day <= seller.endDay,
  );
  return c.json({
    date,
    orders: orders.map((o) => ({
      orderId: o.orderId,
      marketplaceId: o.marketplace.id,
      createdTime: new Date(o.createdMs).toISOString(),
      status: statusAt(o, now),
      fulfillment: o.fulfillment,
      currency: o.marketplace.currency,
      orderTotal: (orderTotalCents(o) / 100).toFixed(2),
      items: o.lines.map((l) => ({
        orderItemId: l.orderItemId,
        sku: l.product.sku,
        asin: l.product.asin,
        quantity: l.quantity,
        itemPrice: (l.itemPriceCents / 100).toFixed(2),
      })),
      refund:
        o.refund && o.refund.postedMs <= now
          ? { postedDate: new Date(o.refund.postedMs).toISOString(), returned: o.refund.returned }
          : undefined,
    })),
  });
});

control.get('/_sandbox/sellers/:sellerId/faults', async (c) => c.json((await stubOf(c).config()).faults));

control.post('/_sandbox/sellers/:sellerId/faults', async (c) => {
  const body = await c.req.json<Record<string, unknown>>().catch(() => undefined);
  if (!body) return bad(c, 'Body must be a JSON object of faults.');
  const unknown = Object.keys(body).filter((k) => !(FAULT_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0)
    return bad(c, `Unknown faults: ${unknown.join(', ')}. Known: ${FAULT_KEYS.join(', ')}.`);
  return c.json(await stubOf(c).setFaults(body as Faults));
});

control.delete('/_sandbox/sellers/:sellerId/faults', async (c) =>
  c.json(await stubOf(c).setFaults({}, true)),
);

control.put('/_sandbox/sellers/:sellerId/size', async (c) => {
  const body = await c.req.json<Record<string, unknown>>().catch(() => undefined);
  const size: Record<string, number> = {};
  for (const key of ['products', 'days', 'ordersPerDay'] as const) {
    const v = body?.[key];
    if (v === undefined) continue;
    // No orders a day is a new seller: Amazon cancels its order reports for want of data.
    const min = key === 'ordersPerDay' ? 0 : 1;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 5000)
      return bad(c, `${key} must be an integer between ${min} and 5000.`);
    size[key] = v;
  }
  await stubOf(c).setSize(Object.keys(size).length > 0 ? size : undefined);
  return c.json({ size: (await loadSeller(c.env, c.req.param('sellerId'))).seller.size });
});

control.post('/_sandbox/sellers/:sellerId/orders', async (c) => {
  const sellerId = c.req.param('sellerId');
  const now = Date.now();
  await stubOf(c).addOrder(now);
  const { seller } = await loadSeller(c.env, sellerId, now + 1);
  const order = ordersForDay(seller, dayNumber(now)).find((o) => o.createdMs === now);
  if (!order) return c.json({ error: 'order could not be generated' }, 500);
  // An FBA order reserves stock, so Amazon also reports an inventory availability change per SKU.
  const inventoryChanges =
    order.fulfillment === 'AFN'
      ? order.lines.map((l) => ({
          type: 'FBA_INVENTORY_AVAILABILITY_CHANGES' as const,
          sku: l.product.sku,
          marketplaceId: order.marketplace.id,
        }))
      : [];
  const deliveries = await emit(c.env, sellerId, [
    { type: 'ORDER_CHANGE', orderId: order.orderId, reason: 'NewOrder' },
    ...inventoryChanges,
  ]);
  return c.json({ orderId: order.orderId, marketplaceId: order.marketplace.id, deliveries }, 201);
});

control.post('/_sandbox/sellers/:sellerId/prices', async (c) => {
  const sellerId = c.req.param('sellerId');
  const body = await c.req
    .json<{ sku?: unknown; marketplaceId?: unknown; price?: unknown }>()
    .catch(() => undefined);
  const { seller } = await loadSeller(c.env, sellerId);
  const product = typeof body?.sku === 'string' ? productBySku(seller, body.sku) : undefined;
  const mp = marketplaceById(typeof body?.marketplaceId === 'string' ? body.marketplaceId : 'ATVPDKIKX0DER');
  if (!product || !mp || typeof body?.price !== 'number' || body.price <= 0)
    return bad(c, "sku (one of the seller's), marketplaceId and a positive price are required.");
  await stubOf(c).addPriceChange({
    sku: product.sku,
    marketplaceId: mp.id,
    priceCents: Math.round(body.price * 100),
    atMs: Date.now(),
  });
  const deliveries = await emit(c.env, sellerId, [
    { type: 'ANY_OFFER_CHANGED', asin: product.asin, marketplaceId: mp.id },
  ]);
  return c.json({
    sku: product.sku,
    asin: product.asin,
    marketplaceId: mp.id,
    price: body.price,
    deliveries,
  });
});

control.put('/_sandbox/sellers/:sellerId/notifications/target', async (c) => {
  const body = await c.req
    .json<{ url?: unknown; headerName?: unknown; headerValue?: unknown }>()
    .catch(() => undefined);
  if (typeof body?.url !== 'string' || !/^(https?|inbox):\/\//.test(body.url))
    return bad(c, 'url (http, https or inbox://name) is required.');
  const target = {
    url: body.url,
    headerName: typeof body.headerName === 'string' ? body.headerName : 'x-api-key',
    headerValue: typeof body.headerValue === 'string' ? body.headerValue : '',
  };
  await stubOf(c).setTarget(target);
  return c.json(target);
});

control.delete('/_sandbox/sellers/:sellerId/notifications/target', async (c) => {
  await stubOf(c).setTarget(null);
  return c.body(null, 204);
});

control.put('/_sandbox/destinations/:destinationId/target', async (c) => {
  const body = await c.req
    .json<{ url?: unknown; headerName?: unknown; headerValue?: unknown }>()
    .catch(() => undefined);
  if (typeof body?.url !== 'string' || !/^(https?|inbox):\/\//.test(body.url))
    return bad(c, 'url (http, https or inbox://name) is required.');
  const app = sellerStub(c.env, APP_OWNER);
  if (!(await app.destination(c.req.param('destinationId'))))
    return c.json({ error: 'Unknown destinationId' }, 404);
  const target = {
    url: body.url,
    headerName: typeof body.headerName === 'string' ? body.headerName : 'x-api-key',
    headerValue: typeof body.headerValue === 'string' ? body.headerValue : '',
  };
  await app.setValue(`target:${c.req.param('destinationId')}`, target);
  return c.json(target);
});

control.post('/_sandbox/sellers/:sellerId/notifications', async (c) => {
  const body = await c.req.json<EmitRequest | { notifications?: EmitRequest[] }>().catch(() => undefined);
  const list =
    body && 'notifications' in body && Array.isArray(body.notifications)
      ? body.notifications
      : body
        ? [body as EmitRequest]
        : [];
  if (list.length === 0 || list.some((n) => !NOTIFICATION_TYPES.includes(n.type)))
    return bad(c, `type must be one of ${NOTIFICATION_TYPES.join(', ')}.`);
  try {
    return c.json({ deliveries: await emit(c.env, c.req.param('sellerId'), list) });
  } catch (err) {
    if (err instanceof EmitError) return bad(c, err.message);
    throw err;
  }
});

control.get('/_sandbox/sellers/:sellerId/notifications/sent', async (c) =>
  c.json({ sent: await stubOf(c).sent() }),
);
control.get('/_sandbox/sellers/:sellerId/inbox/:name', async (c) =>
  c.json({ received: await stubOf(c).inbox(c.req.param('name')) }),
);

control.post('/_sandbox/sellers/:sellerId/tokens/revoke', async (c) =>
  c.json({ revoked: await stubOf(c).revokeRefreshTokens() }),
);
control.post('/_sandbox/sellers/:sellerId/tokens/expire', async (c) => {
  await stubOf(c).expireAccessTokens();
  return c.json({ expired: true });
});
control.get('/_sandbox/sellers/:sellerId/rate-limits', async (c) =>
  c.json((await stubOf(c).rateLimitMode()) ?? { mode: rateLimitMode(c.env.RATE_LIMIT_MODE) }),
);

control.put('/_sandbox/sellers/:sellerId/rate-limits', async (c) => {
  const body = await c.req.json<{ mode?: unknown; scale?: unknown }>().catch(() => undefined);
  if (!isRateLimitMode(body?.mode)) return bad(c, 'mode must be official, sandbox or off.');
  if (
    body.scale !== undefined &&
    (typeof body.scale !== 'number' || body.scale <= 0 || body.scale > 10_000)
  ) {
    return bad(c, 'scale must be a positive number (it multiplies the official rates).');
  }
  const mode = { mode: body.mode, ...(typeof body.scale === 'number' ? { scale: body.scale } : {}) };
  await stubOf(c).setRateLimitMode(mode);
  return c.json(mode);
});

control.post('/_sandbox/sellers/:sellerId/rate-limits/reset', async (c) => {
  await stubOf(c).resetBuckets();
  return c.json({ reset: true });
});

control.get('/_sandbox/sellers/:sellerId/orders/:orderId', async (c) => {
  const { seller } = await loadSeller(c.env, c.req.param('sellerId'));
  const order = findOrder(seller, c.req.param('orderId'));
  return order
    ? c.json({
        orderId: order.orderId,
        createdTime: new Date(order.createdMs).toISOString(),
        status: statusAt(order, Date.now()),
      })
    : c.json({ error: 'not found' }, 404);
});
