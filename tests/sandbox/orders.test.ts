import { describe, expect, it } from 'vitest';
import { ordersForDay, statusAt } from '../../workers/amazon-sandbox/src/data/orders';
import { makeSeller } from '../../workers/amazon-sandbox/src/data/seller';
import { connect, control, freshSellerId, sp } from './helpers';

const DAY = 86_400_000;
const US = 'ATVPDKIKX0DER';

/** Independent count from the pure generator: orders created in [from, to). */
function expectedOrders(sellerId: string, from: number, to: number, marketplaceIds: string[] = []) {
  const seller = makeSeller(sellerId);
  const ids: string[] = [];
  for (let d = Math.floor(from / DAY); d <= Math.floor(to / DAY); d++) {
    for (const o of ordersForDay(seller, d)) {
      if (
        o.createdMs >= from &&
        o.createdMs < to &&
        (marketplaceIds.length === 0 || marketplaceIds.includes(o.marketplace.id))
      )
        ids.push(o.orderId);
    }
  }
  return ids;
}

describe('orders', () => {
  it('the generator is deterministic per seller id and differs between sellers', () => {
    const day = Math.floor(Date.now() / DAY) - 10;
    const a1 = ordersForDay(makeSeller('A2DEMOSELLER01'), day).map((o) => o.orderId);
    const a2 = ordersForDay(makeSeller('A2DEMOSELLER01'), day).map((o) => o.orderId);
    const b = ordersForDay(makeSeller('A2OTHERSELLER9'), day).map((o) => o.orderId);
    expect(a1).toEqual(a2);
    expect(a1.length).toBeGreaterThan(0);
    expect(JSON.stringify(ordersForDay(makeSeller('A2DEMOSELLER01'), day))).not.toEqual(
      JSON.stringify(ordersForDay(makeSeller('A2OTHERSELLER9'), day)),
    );
    expect(b.length).toBeGreaterThan(0);
  });

  it('covers four marketplaces with their currencies, both fulfilment channels, cancellations, refunds and promotions', () => {
    const seller = makeSeller('A2DEMOSELLER01');
    const currencies = new Map<string, string>();
    const channels = new Set<string>();
    let cancelled = 0;
    let refunded = 0;
    let promoted = 0;
    for (let d = seller.endDay - 60; d < seller.endDay; d++) {
      for (const o of ordersForDay(seller, d)) {
        currencies.set(o.marketplace.id, o.marketplace.currency);
        channels.add(o.fulfillment);
        if (o.cancelledMs) cancelled++;
        if (o.refund) refunded++;
        if (o.lines.some((l) => l.promotionId)) promoted++;
      }
    }
    expect(Object.fromEntries(currencies)).toEqual({
      ATVPDKIKX0DER: 'USD',
      A2EUQ1WTGCTBG2: 'CAD',
      A1AM78C64UM0Y8: 'MXN',
      A1F83G8C2ARO7P: 'GBP',
    });
    expect([...channels].sort()).toEqual(['AFN', 'MFN']);
    expect(cancelled).toBeGreaterThan(0);
    expect(refunded).toBeGreaterThan(0);
    expect(promoted).toBeGreaterThan(0);
  });

  it('searchOrders pages through exactly the orders the generator made', async () => {
    const s = await connect();
    const from = Date.now() - 4 * DAY;
    const to = Date.now() - 2 * DAY;
    const seen: string[] = [];
    const first = `/orders/2026-01-01/orders?createdAfter=${new Date(from).toISOString()}&createdBefore=${new Date(to).toISOString()}&marketplaceIds=${US}&maxResultsPerPage=37`;
    let url = first;
    for (let page = 0; page < 50; page++) {
      const body = (await (await sp(s, url)).json()) as {
        orders: { orderId: string }[];
        pagination?: { nextToken: string };
      };
      seen.push(...body.orders.map((o) => o.orderId));
      if (!body.pagination) break;
      expect(body.orders.length).toBe(37);
      url = `${first}&paginationToken=${encodeURIComponent(body.pagination.nextToken)}`;
      await control(`/sellers/${s.sellerId}/rate-limits/reset`, {});
    }
    expect(seen).toEqual(expectedOrders(s.sellerId, from, to, [US]));
  });

  it('getOrders (v0) with NextToken returns the same orders as searchOrders', async () => {
    const s = await connect();
    const from = Date.now() - 3 * DAY;
    const to = Date.now() - 2 * DAY;
    const seen: string[] = [];
    let url = `/orders/v0/orders?MarketplaceIds=${US},A2EUQ1WTGCTBG2&CreatedAfter=${new Date(from).toISOString()}&CreatedBefore=${new Date(to).toISOString()}&MaxResultsPerPage=50`;
    for (let page = 0; page < 20; page++) {
      const body = (await (await sp(s, url)).json()) as {
        payload: { Orders: { AmazonOrderId: string }[]; NextToken?: string };
      };
      seen.push(...body.payload.Orders.map((o) => o.AmazonOrderId));
      if (!body.payload.NextToken) break;
      url = `/orders/v0/orders?MarketplaceIds=${US}&NextToken=${encodeURIComponent(body.payload.NextToken)}`;
    }
    expect(seen).toEqual(expectedOrders(s.sellerId, from, to, [US, 'A2EUQ1WTGCTBG2']));
  });

  it('order statuses move with time: recent orders are pending or unshipped, older ones shipped or cancelled', async () => {
    const s = await connect();
    const seller = makeSeller(s.sellerId);
    const old = ordersForDay(seller, seller.endDay - 10);
    expect(new Set(old.map((o) => statusAt(o, Date.now())))).toEqual(
      new Set(['Shipped', 'Canceled'].filter((st) => old.some((o) => statusAt(o, Date.now()) === st))),
    );
    const o = old.find((x) => statusAt(x, Date.now()) === 'Shipped')!;
    const body = (await (await sp(s, `/orders/v0/orders/${o.orderId}`)).json()) as {
      payload: { OrderStatus: string; OrderTotal: { Amount: string } };
    };
    expect(body.payload.OrderStatus).toBe('Shipped');
    const items = (await (await sp(s, `/orders/v0/orders/${o.orderId}/orderItems`)).json()) as {
      payload: {
        OrderItems: {
          ItemPrice: { Amount: string };
          ItemTax: { Amount: string };
          ShippingPrice: { Amount: string };
          ShippingTax: { Amount: string };
          PromotionDiscount: { Amount: string };
        }[];
      };
    };
    const total = items.payload.OrderItems.reduce(
      (sum, i) =>
        sum +
        Number(i.ItemPrice.Amount) +
        Number(i.ItemTax.Amount) +
        Number(i.ShippingPrice.Amount) +
        Number(i.ShippingTax.Amount) -
        Number(i.PromotionDiscount.Amount),
      0,
    );
    expect(Number(body.payload.OrderTotal.Amount)).toBeCloseTo(total, 2);
  });

  it('validates searchOrders parameters like Amazon', async () => {
    const s = await connect();
    const both = await sp(
      s,
      `/orders/2026-01-01/orders?createdAfter=${new Date().toISOString()}&lastUpdatedAfter=${new Date().toISOString()}`,
    );
    expect(both.status).toBe(400);
    expect(await both.json()).toMatchObject({ errors: [{ code: 'InvalidInput' }] });
    expect((await sp(s, '/orders/2026-01-01/orders')).status).toBe(400);
    expect(
      (
        await sp(
          s,
          `/orders/2026-01-01/orders?createdAfter=${new Date().toISOString()}&maxResultsPerPage=101`,
        )
      ).status,
    ).toBe(400);
    expect((await sp(s, `/orders/v0/orders?CreatedAfter=${new Date().toISOString()}`)).status).toBe(400);
    expect(
      (
        await sp(
          s,
          `/orders/v0/orders?MarketplaceIds=${US}&CreatedAfter=${new Date(Date.now() - DAY).toISOString()}&CreatedBefore=${new Date().toISOString()}`,
        )
      ).status,
    ).toBe(400);
  });

  it('size presets follow the seller id, and a control endpoint overrides them', async () => {
    expect(makeSeller('ASBXTINY01').size).toEqual({ products: 5, days: 30, ordersPerDay: 3 });
    expect(makeSeller('ASBXLARGE01').size.ordersPerDay).toBe(150);
    expect(makeSeller('A2DEMOSELLER01').size).toEqual({ products: 40, days: 365, ordersPerDay: 25 });
    const id = freshSellerId();
    const res = await control(`/sellers/${id}/size`, { products: 7, days: 10, ordersPerDay: 2 }, 'PUT');
    expect(await res.json()).toEqual({ size: { products: 7, days: 10, ordersPerDay: 2 } });
    const summary = (await (await control(`/sellers/${id}/summary`)).json()) as {
      products: number;
      size: { days: number };
    };
    expect(summary.products).toBe(7);
    expect(summary.size.days).toBe(10);
  });

  it('summary ground truth matches an independent sum over the generator', async () => {
    const id = freshSellerId('small');
    const summary = (await (await control(`/sellers/${id}/summary`)).json()) as {
      orders: number;
      byMarketplace: Record<string, { salesCents: number }>;
    };
    const seller = makeSeller(id);
    let orders = 0;
    let usSales = 0;
    const now = Date.now();
    for (let d = seller.startDay; d <= seller.endDay; d++) {
      for (const o of ordersForDay(seller, d)) {
        if (o.createdMs > now) continue;
        orders++;
        if (o.marketplace.id === US && statusAt(o, now) !== 'Canceled')
          usSales += o.lines.reduce((s, l) => s + l.itemPriceCents - l.promotionDiscountCents, 0);
      }
    }
    expect(summary.orders).toBe(orders);
    expect(summary.byMarketplace[US]!.salesCents).toBe(usSales);
  });
});
