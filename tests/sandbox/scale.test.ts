import { describe, expect, it } from 'vitest';
import { orderCountForDay, ordersForDay } from '../../workers/amazon-sandbox/src/data/orders';
import { makeSeller } from '../../workers/amazon-sandbox/src/data/seller';
import { connect, sp } from './helpers';

describe('large sellers stay cheap', () => {
  it('a huge preset seller has well over 100,000 orders without generating them', () => {
    const seller = makeSeller('ASBXHUGE0001');
    let total = 0;
    for (let d = seller.startDay; d <= seller.endDay; d++) total += orderCountForDay(seller, d);
    expect(total).toBeGreaterThan(100_000);
  });

  it('serves a page far back in a 100,000+ order history quickly', async () => {
    const s = await connect('ASBXHUGE' + Math.random().toString(36).slice(2, 8).toUpperCase());
    const seller = makeSeller(s.sellerId);
    const day = seller.startDay + 30;
    const from = new Date(day * 86_400_000 + 12 * 3_600_000).toISOString();
    const t = Date.now();
    const res = await sp(s, `/orders/2026-01-01/orders?createdAfter=${from}&maxResultsPerPage=100`);
    const elapsed = Date.now() - t;
    expect(res.status).toBe(200);
    const body = (await res.json()) as { orders: { orderId: string }[] };
    expect(body.orders).toHaveLength(100);
    expect(body.orders[0]!.orderId).toBe(
      ordersForDay(seller, day).find((o) => o.createdMs >= Date.parse(from))!.orderId,
    );
    expect(elapsed).toBeLessThan(1500);
  });

  it('generates one day of a huge seller in a few milliseconds', () => {
    const seller = makeSeller('ASBXHUGE0002');
    const t = performance.now();
    for (let d = seller.startDay; d < seller.startDay + 20; d++) ordersForDay(seller, d);
    expect(performance.now() - t).toBeLessThan(1500);
  });
});
