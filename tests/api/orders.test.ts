import { describe, expect, it } from 'vitest';
import { type FeeSource, orderFees, type PostedFeeRow } from '../../src/services/orders/detail';
import { api, createTenant, type TestUser } from './harness';
import { cents, fmt, type Json, newAsin, seedFinanceEvents, seedOrder, seedProduct } from './seed';

async function list(user: TestUser, query: string) {
  const res = await api(`/api/orders?${query}`, { as: user });
  return { res, body: (await res.json()) as Json };
}
const ids = (body: Json) => body.orders.map((o: Json) => o.amazonOrderId);

async function scenario() {
  const t = await createTenant({ timezone: 'America/New_York' });
  const asin = newAsin();
  type Line = { q: number; p: string; promo?: string };
  const spec: Array<{
    at: string;
    status: 'Shipped' | 'Pending' | 'Canceled';
    ch: 'AFN' | 'MFN';
    mkt: string;
    total: string;
    items: Line[];
  }> = [
    // 04:30 UTC on 2 Feb is 23:30 on 1 Feb in New York: outside a 2 Feb range.
    {
      at: '2026-02-02T04:30:00Z',
      status: 'Shipped' as const,
      ch: 'AFN' as const,
      mkt: 'ATVPDKIKX0DER',
      total: '20.00',
      items: [{ q: 1, p: '20.00' }],
    },
    {
      at: '2026-02-02T15:00:00Z',
      status: 'Shipped' as const,
      ch: 'AFN' as const,
      mkt: 'ATVPDKIKX0DER',
      total: '64.00',
      items: [
        { q: 2, p: '40.00', promo: '4.00' },
        { q: 1, p: '24.00' },
      ],
    },
    {
      at: '2026-02-03T15:00:00Z',
      status: 'Pending' as const,
      ch: 'MFN' as const,
      mkt: 'ATVPDKIKX0DER',
      total: '15.00',
      items: [{ q: 3, p: '15.00' }],
    },
    {
      at: '2026-02-04T15:00:00Z',
      status: 'Canceled' as const,
      ch: 'AFN' as const,
      mkt: 'A2EUQ1WTGCTBG2',
      total: '99.00',
      items: [{ q: 1, p: '99.00' }],
    },
  ];
  const made = [];
  for (const s of spec) {
    const o = await seedOrder(t.id, {
      purchaseDate: new Date(s.at),
      status: s.status,
      fulfillmentChannel: s.ch,
      marketplaceId: s.mkt,
      orderTotal: s.total,
      items: s.items.map((i) => ({ asin, quantity: i.q, itemPrice: i.p, promotionDiscount: i.promo })),
    });
    made.push({ ...s, id: o.amazonOrderId });
  }
  return { t, asin, made };
}

describe('GET /api/orders', () => {
  it('lists orders of tenant-local days with a summary', async () => {
    const { t, made } = await scenario();
    const other = await createTenant({ timezone: 'America/New_York' });
    await seedOrder(other.id, {
      purchaseDate: new Date('2026-02-03T15:00:00Z'),
      items: [{ asin: newAsin(), quantity: 9, itemPrice: '900.00' }],
    });

    const { res, body } = await list(t.owner, 'startDate=2026-02-02&endDate=2026-02-04');
    expect(res.status).toBe(200);
    const inRange = made.slice(1);
    expect(ids(body)).toEqual(inRange.map((o) => o.id).reverse()); // newest first
    const revenue = inRange
      .flatMap((o) => o.items)
      .reduce((a, i) => a + cents(i.p) - cents(i.promo ?? '0'), 0);
    const units = inRange.flatMap((o) => o.items).reduce((a, i) => a + i.q, 0);
    expect(body.summary).toEqual({
      currency: 'USD',
      totalOrders: inRange.length,
      totalRevenue: { amount: fmt(revenue), currency: 'USD' },
      avgOrderValue: { amount: fmt(Math.round(revenue / inRange.length)), currency: 'USD' },
      totalUnits: units,
    });
    expect(body.pagination).toEqual({ page: 1, limit: 25, total: 3, pages: 1 });
    expect(body.orders[0].orderTotal).toEqual({ amount: '99.00', currency: 'USD' });
  });

  it('filters by status (repeated, [] or comma list), channel, marketplace and amount; sorts and pages', async () => {
    const { t, made } = await scenario();
    const r = 'startDate=2026-02-01&endDate=2026-02-04';
    expect(ids((await list(t.owner, `${r}&status=Pending`)).body)).toEqual([made[2]!.id]);
    const both = [made[2]!.id, made[1]!.id, made[0]!.id];
    expect(ids((await list(t.owner, `${r}&status=Pending&status=Shipped`)).body)).toEqual(both);
    expect(ids((await list(t.owner, `${r}&status[]=Pending&status[]=Shipped`)).body)).toEqual(both);
    expect(ids((await list(t.owner, `${r}&status=Pending,Shipped`)).body)).toEqual(both);
    expect(ids((await list(t.owner, `${r}&fulfillmentChannel=MFN`)).body)).toEqual([made[2]!.id]);
    expect(ids((await list(t.owner, `${r}&marketplaceId=A2EUQ1WTGCTBG2`)).body)).toEqual([made[3]!.id]);
    expect(ids((await list(t.owner, `${r}&minAmount=20&maxAmount=64`)).body)).toEqual([
      made[1]!.id,
      made[0]!.id,
    ]);
    const byTotal = await list(t.owner, `${r}&sortBy=orderTotal&sortOrder=asc&limit=2&page=2`);
    expect(ids(byTotal.body)).toEqual([made[1]!.id, made[3]!.id]);
    expect(byTotal.body.pagination).toEqual({ page: 2, limit: 2, total: 4, pages: 2 });
    const summary = (await list(t.owner, `${r}&status=Pending`)).body.summary;
    expect(summary.totalRevenue.amount).toBe('15.00');
    expect(summary.totalUnits).toBe(3);
  });

  it.each([
    'endDate=2026-02-04',
    'startDate=2026-02-04',
    'startDate=2026-02-05&endDate=2026-02-04',
    'startDate=2022-01-01&endDate=2026-02-04',
    'startDate=2026-02-01&endDate=2026-02-04&status=Lost',
    'startDate=2026-02-01&endDate=2026-02-04&fulfillmentChannel=FBA',
    'startDate=2026-02-01&endDate=2026-02-04&minAmount=50&maxAmount=10',
    'startDate=2026-02-01&endDate=2026-02-04&limit=500',
    'startDate=02/01/2026&endDate=2026-02-04',
  ])('400 for %s', async (q) => {
    const t = await createTenant();
    const { res, body } = await list(t.owner, q);
    expect(res.status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
  });

  it('401 without a token; viewers may read; other tenants see none of these orders', async () => {
    const { t } = await scenario();
    expect((await api('/api/orders?startDate=2026-02-01&endDate=2026-02-04')).status).toBe(401);
    expect(
      (await list(await t.addUser('viewer'), 'startDate=2026-02-01&endDate=2026-02-04')).res.status,
    ).toBe(200);
    const stranger = await createTenant();
    const { body } = await list(stranger.owner, 'startDate=2026-02-01&endDate=2026-02-04');
    expect(body.orders).toEqual([]);
    expect(body.summary.totalOrders).toBe(0);
  });
});

describe('GET /api/orders/{amazonOrderId}', () => {
  it('returns items, anonymised customer, fulfillment and financials from posted and estimated fees', async () => {
    const t = await createTenant();
    const [a1, a2] = [newAsin(), newAsin()];
    await seedProduct(t.id, { asin: a1, cost: '6.0000' });
    await seedProduct(t.id, { asin: a2, cost: '2.5000' });
    const o = await seedOrder(t.id, {
      purchaseDate: new Date('2026-02-10T12:00:00Z'),
      country: 'US',
      state: 'OR',
      cityHash: 'c1tyh4sh',
      trackingNumber: '1Z999',
      carrier: 'UPS',
      items: [
        {
          asin: a1,
          quantity: 2,
          itemPrice: '50.00',
          promotionDiscount: '5.00',
          itemTax: '4.00',
          referralFee: '6.7500',
          fbaFee: '4.0000',
          feeStatus: 'settled',
        },
        {
          asin: a2,
          quantity: 1,
          itemPrice: '20.00',
          referralFee: '3.0000',
          fbaFee: '2.5000',
          otherFees: '0.1000',
        },
      ],
    });
    const posted = {
      Commission: '-6.6000',
      FBAPerUnitFulfillmentFee: '-4.2000',
      RefundCommission: '-1.0000',
    };
    await seedFinanceEvents(t.id, [
      ...Object.entries(posted).map(([feeType, amount]) => ({
        amazonOrderId: o.amazonOrderId,
        asin: a1,
        category: 'fee' as const,
        feeType,
        amount,
        postedDate: new Date('2026-02-12T00:00:00Z'),
      })),
      {
        amazonOrderId: o.amazonOrderId,
        asin: a1,
        eventType: 'Refund',
        category: 'refund',
        amount: '-22.50',
        postedDate: new Date('2026-02-20T00:00:00Z'),
      },
    ]);

    const res = await api(`/api/orders/${o.amazonOrderId}`, { as: t.owner });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body.order.amazonOrderId).toBe(o.amazonOrderId);
    expect(body.items).toHaveLength(2);
    expect(body.customer).toEqual({ cityHash: 'c1tyh4sh', stateCode: 'OR', countryCode: 'US' });
    expect(JSON.stringify(body)).not.toMatch(/buyer|email|name"/i);
    expect(body.fulfillment).toMatchObject({ status: 'Shipped', trackingNumber: '1Z999', carrier: 'UPS' });

    const revenue = cents('50.00') - cents('5.00') + cents('20.00');
    const f = body.financial;
    expect(f.revenue).toEqual({ amount: fmt(revenue), currency: 'USD' });
    // a1 settled → posted events; a2 estimated → its own estimates.
    expect(f.fees.referral.amount).toBe(fmt(660 + 300));
    expect(f.fees.fbaFulfillment.amount).toBe(fmt(420 + 250));
    expect(f.fees.refundAdministration.amount).toBe('1.00');
    expect(f.fees.other.amount).toBe('0.10');
    const fees = 660 + 300 + 420 + 250 + 100 + 10;
    expect(f.fees.total.amount).toBe(fmt(fees));
    expect(f.refunds.amount).toBe('22.50');
    const cogs = 2 * 600 + 250;
    expect(f.cogs.amount).toBe(fmt(cogs));
    const profit = revenue - fees - 2250 - cogs;
    expect(f.profit.amount).toBe(fmt(profit));
    expect(f.margin).toBe(Math.round((10000 * profit) / revenue) / 100);
    expect(f.feeStatus).toBe('estimated');
    expect(f.estimatedFees.amount).toBe(fmt(300 + 250 + 10));
  });

  it("404 for another tenant's order or an unknown id, 400 for a malformed id, 401 without a token", async () => {
    const t = await createTenant();
    const stranger = await createTenant();
    const theirs = await seedOrder(stranger.id, {
      purchaseDate: new Date(),
      items: [{ asin: newAsin(), quantity: 1, itemPrice: '1.00' }],
    });
    expect((await api(`/api/orders/${theirs.amazonOrderId}`, { as: t.owner })).status).toBe(404);
    expect((await api('/api/orders/999-0000000-0000000', { as: t.owner })).status).toBe(404);
    expect((await api('/api/orders/bad%20id!', { as: t.owner })).status).toBe(400);
    expect((await api(`/api/orders/${theirs.amazonOrderId}`)).status).toBe(401);
  });
});

describe('orderFees', () => {
  it('counts posted fees once per settled ASIN, the stored estimates otherwise, and order-level fees always', () => {
    const posted: PostedFeeRow[] = [
      { asin: 'A', line: 'referral', amount: '6.6000' },
      { asin: 'A', line: 'fbaFulfillment', amount: '4.2000' },
      { asin: null, line: 'other', amount: '0.5000' },
    ];
    const items: FeeSource[] = [
      { asin: 'A', feeStatus: 'settled', referralFee: '9.0000', fbaFee: '9.0000', otherFees: null },
      // Same ASIN: its posted fees are already counted, and its estimates are not used.
      { asin: 'A', feeStatus: 'settled', referralFee: '9.0000', fbaFee: null, otherFees: null },
      // Settled, but nothing posted for the ASIN: the estimates stand.
      { asin: 'B', feeStatus: 'settled', referralFee: '3.0000', fbaFee: '2.5000', otherFees: '0.1000' },
      { asin: 'C', feeStatus: 'estimated', referralFee: '1.0000', fbaFee: null, otherFees: null },
    ];
    const { fees, estimated } = orderFees(items, posted);
    // Sums keep the 4 decimals of fee amounts; lines nothing was added to stay '0'.
    expect(Object.fromEntries(fees)).toEqual({
      referral: '10.6000', // 6.60 posted for A + 3.00 (B) + 1.00 (C) estimated
      fbaFulfillment: '6.7000', // 4.20 posted for A + 2.50 (B) estimated
      storage: '0',
      inbound: '0',
      returns: '0',
      refundAdministration: '0',
      other: '0.6000', // 0.10 (B) estimated + 0.50 posted without an ASIN
    });
    expect(estimated).toBe('6.6000'); // B: 3.00 + 2.50 + 0.10, C: 1.00
  });
});
