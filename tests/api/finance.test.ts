import { describe, expect, it } from 'vitest';
import { api, createTenant, type TestUser } from './harness';
import {
  cents,
  fmt,
  type Json,
  newAsin,
  rollup,
  seedAdMetrics,
  seedAdTree,
  seedFinanceEvents,
  seedOrder,
  seedProduct,
  utcDay,
} from './seed';

const pct = (a: number, b: number) => Math.round((10000 * a) / b) / 100;
const day = (d: string, h = 12) => new Date(`${d}T${String(h).padStart(2, '0')}:00:00Z`);

async function get(user: TestUser, path: string) {
  const res = await api(path, { as: user });
  return { res, body: (await res.json()) as Json };
}

/** January: two sales (one settled, one estimated), a refund, account fees, ads; December: one sale. */
async function scenario() {
  const t = await createTenant({ timezone: 'UTC' });
  const [a1, a2] = [newAsin(), newAsin()];
  await seedProduct(t.id, { asin: a1, cost: '12.0000', category: 'Kitchen', title: 'Pan' });
  await seedProduct(t.id, { asin: a2, cost: '3.0000', category: 'Garden', title: 'Hose' });
  const o1 = await seedOrder(t.id, {
    purchaseDate: day('2026-01-05'),
    items: [
      {
        asin: a1,
        quantity: 2,
        itemPrice: '160.00',
        promotionDiscount: '8.00',
        itemTax: '6.40',
        referralFee: '10.8000',
        fbaFee: '8.0000',
        feeStatus: 'settled',
      },
    ],
  });
  await seedOrder(t.id, {
    purchaseDate: day('2026-01-20'),
    items: [{ asin: a2, quantity: 1, itemPrice: '20.00', referralFee: '3.0000', fbaFee: '2.5000' }],
  });
  await seedOrder(t.id, {
    purchaseDate: day('2026-01-21'),
    status: 'Canceled',
    items: [{ asin: a2, quantity: 4, itemPrice: '80.00' }],
  });
  await seedOrder(t.id, {
    purchaseDate: day('2025-12-10'),
    items: [{ asin: a2, quantity: 2, itemPrice: '40.00', referralFee: '6.0000' }],
  });
  const o1Events = [
    { category: 'revenue' as const, feeType: 'Principal', amount: '160.0000' },
    { category: 'fee' as const, feeType: 'Commission', amount: '-10.8000' },
    { category: 'fee' as const, feeType: 'FBAPerUnitFulfillmentFee', amount: '-8.2000' },
    { category: 'refund' as const, feeType: 'Principal', amount: '-40.0000', eventType: 'Refund' },
    { category: 'fee' as const, feeType: 'RefundCommission', amount: '-1.0800', eventType: 'Refund' },
    {
      category: 'fee' as const,
      feeType: 'FBACustomerReturnPerUnitFee',
      amount: '-2.5000',
      eventType: 'Refund',
    },
  ];
  const account = [
    { category: 'fee' as const, feeType: 'FBAStorageFee', amount: '-4.4000', eventType: 'ServiceFee' },
    {
      category: 'fee' as const,
      feeType: 'FBAInboundTransportationFee',
      amount: '-1.2500',
      eventType: 'ServiceFee',
    },
    { category: 'fee' as const, feeType: 'Subscription', amount: '-39.9900', eventType: 'ServiceFee' },
    { category: 'shipping' as const, feeType: 'ShippingLabel', amount: '-3.1000', eventType: 'ServiceFee' },
    { category: 'other' as const, feeType: 'Reimbursement', amount: '5.0000', eventType: 'Adjustment' },
    {
      category: 'advertising' as const,
      feeType: 'CostOfAdvertising',
      amount: '-99.0000',
      eventType: 'ProductAds',
    },
    {
      category: 'tax' as const,
      feeType: 'MarketplaceFacilitatorTax',
      amount: '-6.4000',
      eventType: 'Shipment',
    },
  ];
  await seedFinanceEvents(t.id, [
    ...o1Events.map((e) => ({
      ...e,
      amazonOrderId: o1.amazonOrderId,
      asin: a1,
      postedDate: day('2026-01-08'),
    })),
    ...account.map((e) => ({ ...e, postedDate: day('2026-01-15') })),
    {
      category: 'fee',
      feeType: 'FBAStorageFee',
      amount: '-2.0000',
      eventType: 'ServiceFee',
      postedDate: day('2025-12-15'),
    },
    {
      category: 'fee',
      feeType: 'FBAStorageFee',
      amount: '-7.0000',
      eventType: 'ServiceFee',
      currency: 'EUR',
      marketplaceId: 'A1PA6795UKMFR9',
      postedDate: day('2026-01-15'),
    },
  ]);
  await seedAdTree(t.id, { campaignId: 'C1', name: 'Pans' });
  await seedAdMetrics(t.id, [
    {
      level: 'campaign',
      campaignId: 'C1',
      date: '2026-01-06',
      cost: '7.5000',
      sales7d: '30.00',
      clicks: 10,
      impressions: 100,
    },
    {
      level: 'keyword',
      campaignId: 'C1',
      keywordId: 'C1-k',
      adGroupId: 'C1-g',
      date: '2026-01-06',
      cost: '7.5000',
      sales7d: '30.00',
    },
    { level: 'campaign', campaignId: 'C1', date: '2025-12-11', cost: '2.0000', sales7d: '10.00' },
  ]);
  await rollup(t.id, day('2025-11-01'), day('2026-02-28'));

  // Expected January statement, from the seeded rows.
  const gross = 16000 + 2000;
  const promotions = 800;
  const refunds = 4000;
  const net = gross - promotions - refunds;
  const cogs = 2 * 1200 + 300;
  const fees = {
    referral: 1080 + 300,
    fbaFulfillment: 820 + 250,
    storage: 440,
    inbound: 125,
    returns: 250,
    refundAdministration: 108,
    other: 3999,
  };
  const feesTotal = Object.values(fees).reduce((a, b) => a + b, 0);
  const advertising = 750;
  const shipping = 310;
  const other = -500;
  const opex = feesTotal + advertising + shipping + other;
  const jan = {
    gross,
    promotions,
    refunds,
    net,
    cogs,
    grossProfit: net - cogs,
    fees,
    feesTotal,
    advertising,
    shipping,
    other,
    opex,
    ebitda: net - cogs - opex,
    estimated: 300 + 250,
  };
  const decNet = 4000;
  const dec = { net: decNet, ebitda: decNet - 2 * 300 - 600 - 200 - 200 };
  return { t, a1, a2, jan, dec };
}

describe('GET /api/finance/pnl', () => {
  it('builds the statement line by line, with comparison, variance and recommendations', async () => {
    const { t, jan, dec } = await scenario();
    const { res, body } = await get(
      t.owner,
      '/api/finance/pnl?startDate=2026-01-01&endDate=2026-01-31&compareWith=previous_period',
    );
    expect(res.status).toBe(200);
    const c = body.current;
    const m = (v: number) => ({ amount: fmt(v), currency: 'USD' });
    expect(c.revenue.lines).toEqual({
      grossSales: m(jan.gross),
      promotions: m(-jan.promotions),
      refunds: m(-jan.refunds),
    });
    expect(c.revenue.total).toEqual(m(jan.net));
    expect(c.cogs.total).toEqual(m(jan.cogs));
    expect(c.grossProfit).toEqual(m(jan.grossProfit));
    expect(c.operatingExpenses.lines).toEqual({
      referral: m(jan.fees.referral),
      fbaFulfillment: m(jan.fees.fbaFulfillment),
      storage: m(jan.fees.storage),
      inbound: m(jan.fees.inbound),
      returns: m(jan.fees.returns),
      refundAdministration: m(jan.fees.refundAdministration),
      otherAmazonFees: m(jan.fees.other),
      advertising: m(jan.advertising),
      shipping: m(jan.shipping),
      other: m(jan.other),
    });
    expect(c.operatingExpenses.total).toEqual(m(jan.opex));
    expect(c.ebitda).toEqual(m(jan.ebitda));
    expect(c.netIncome).toEqual(m(jan.ebitda));
    expect(c.margins.net).toBe(pct(jan.ebitda, jan.net));
    expect(c.estimated.fees).toEqual(m(jan.estimated));
    expect(c.estimated.orderLines).toBe(1);

    expect(body.comparison.period).toEqual({ start: '2025-12-01', end: '2025-12-31' });
    expect(body.comparison.revenue.total).toEqual(m(dec.net));
    expect(body.comparison.ebitda).toEqual(m(dec.ebitda));
    expect(body.variance.netRevenue).toEqual({
      current: m(jan.net),
      comparison: m(dec.net),
      change: m(jan.net - dec.net),
      changePercent: pct(jan.net - dec.net, dec.net),
    });
    expect(body.currencies).toEqual(['EUR', 'USD']);
    expect(body.recommendations.length).toBeGreaterThan(0);
    expect(body.recommendations.join(' ')).toMatch(/Refunds are/);
    expect(body.recommendations.join(' ')).toMatch(/still estimates/);
  });

  it('reports another currency on request and never adds currencies together', async () => {
    const { t } = await scenario();
    const { body } = await get(
      t.owner,
      '/api/finance/pnl?startDate=2026-01-01&endDate=2026-01-31&currency=EUR',
    );
    expect(body.current.operatingExpenses.lines.storage).toEqual({ amount: '7.00', currency: 'EUR' });
    expect(body.current.revenue.total).toEqual({ amount: '0.00', currency: 'EUR' });
  });

  it.each([
    'startDate=2026-01-01',
    'startDate=2026-02-01&endDate=2026-01-01',
    'startDate=2020-01-01&endDate=2026-01-01',
    'startDate=2026-01-01&endDate=2026-01-31&compareWith=custom',
  ])('400 for %s', async (q) => {
    const t = await createTenant();
    expect((await get(t.owner, `/api/finance/pnl?${q}`)).res.status).toBe(400);
  });

  it('401 without a token; viewers may read; another tenant sees an empty statement', async () => {
    const { t } = await scenario();
    expect((await api('/api/finance/pnl?startDate=2026-01-01&endDate=2026-01-31')).status).toBe(401);
    expect(
      (await get(await t.addUser('viewer'), '/api/finance/pnl?startDate=2026-01-01&endDate=2026-01-31')).res
        .status,
    ).toBe(200);
    const stranger = await createTenant();
    const { body } = await get(stranger.owner, '/api/finance/pnl?startDate=2026-01-01&endDate=2026-01-31');
    expect(body.current.revenue.total.amount).toBe('0.00');
    expect(body.current.operatingExpenses.total.amount).toBe('0.00');
  });
});

describe('GET /api/finance/summary', () => {
  it('summarises revenue, costs, profit, trend, estimates and breakdowns', async () => {
    const { t, a1, a2, jan, dec } = await scenario();
    const { res, body } = await get(
      t.owner,
      '/api/finance/summary?period=custom&startDate=2026-01-01&endDate=2026-01-31&groupBy=week',
    );
    expect(res.status).toBe(200);
    const m = (v: number) => ({ amount: fmt(v), currency: 'USD' });
    expect(body.revenue).toMatchObject({
      gross: m(jan.gross),
      promotions: m(jan.promotions),
      refunds: m(jan.refunds),
      net: m(jan.net),
    });
    expect(body.revenue.trend).toBe(pct(jan.net - dec.net, dec.net));
    expect(body.costs).toEqual({
      product: m(jan.cogs),
      amazonFees: m(jan.feesTotal),
      advertising: m(jan.advertising),
      shipping: m(jan.shipping),
      other: m(jan.other),
      total: m(jan.cogs + jan.opex),
    });
    expect(body.profit).toEqual({
      gross: m(jan.grossProfit),
      net: m(jan.ebitda),
      margin: pct(jan.ebitda, jan.net),
      ebitda: m(jan.ebitda),
    });
    expect(body.estimated.fees).toEqual(m(jan.estimated));
    expect(body.revenue.series.map((s: Json) => s.period)).toEqual(['2026-01-05', '2026-01-19']);
    expect(Object.keys(body.breakdown.byMarketplace)).toEqual(['ATVPDKIKX0DER']);
    expect(Object.keys(body.breakdown.byCategory)).toEqual(['Kitchen', 'Garden']);
    expect(body.breakdown.byProduct.map((p: Json) => p.asin)).toEqual([a1, a2]);
    const pan = body.breakdown.byProduct[0];
    // Pan: 160 − 8 promotion, 40 refunded, posted fees 10.80 + 8.20 + 1.08 + 2.50, COGS 24.
    expect(pan.revenue.amount).toBe(fmt(16000 - 800));
    expect(pan.contribution.amount).toBe(fmt(16000 - 800 - 4000 - (1080 + 820 + 108 + 250) - 2400));
  });

  it('resolves calendar periods to date in the tenant time zone', async () => {
    const t = await createTenant({ timezone: 'UTC' });
    const today = utcDay();
    const month = (await get(t.owner, '/api/finance/summary?period=month')).body;
    expect(month.period).toMatchObject({ start: `${today.slice(0, 7)}-01`, end: today });
    const year = (await get(t.owner, '/api/finance/summary?period=year')).body;
    expect(year.period.start).toBe(`${today.slice(0, 4)}-01-01`);
    const todayOnly = (await get(t.owner, '/api/finance/summary?period=today')).body;
    expect(todayOnly.period).toMatchObject({ start: today, end: today });
  });

  it.each([
    'period=custom',
    'period=custom&startDate=2026-01-01',
    'period=decade',
    'groupBy=hour',
    'period=custom&startDate=2026-02-01&endDate=2026-01-01',
  ])('400 for %s', async (q) => {
    const t = await createTenant();
    expect((await get(t.owner, `/api/finance/summary?${q}`)).res.status).toBe(400);
  });

  it('401 without a token', async () => {
    expect((await api('/api/finance/summary')).status).toBe(401);
  });
});

describe('GET /api/finance/transactions', () => {
  it('lists events posted in the range with type and amount filters and per-currency totals', async () => {
    const t = await createTenant({ timezone: 'UTC' });
    const rows = [
      { category: 'revenue' as const, amount: '100.0000', eventType: 'Shipment' },
      { category: 'fee' as const, amount: '-15.0000', eventType: 'Shipment', feeType: 'Commission' },
      { category: 'fee' as const, amount: '-3.5000', eventType: 'ServiceFee', feeType: 'FBAStorageFee' },
      { category: 'refund' as const, amount: '-20.0000', eventType: 'Refund' },
      { category: 'fee' as const, amount: '-9.0000', eventType: 'ServiceFee', currency: 'EUR' },
    ];
    await seedFinanceEvents(
      t.id,
      rows.map((r, i) => ({ ...r, postedDate: day('2026-01-10', 10 + i) })),
    );
    await seedFinanceEvents(t.id, [{ category: 'fee', amount: '-1.0000', postedDate: day('2026-02-10') }]);
    const stranger = await createTenant();
    await seedFinanceEvents(stranger.id, [
      { category: 'fee', amount: '-500.0000', postedDate: day('2026-01-10') },
    ]);

    const all = await get(t.owner, '/api/finance/transactions?startDate=2026-01-01&endDate=2026-01-31');
    expect(all.res.status).toBe(200);
    expect(all.body.transactions).toHaveLength(5);
    expect(all.body.transactions[0].postedDate).toBe('2026-01-10T14:00:00.000Z'); // newest first
    const usd = rows.filter((r) => !r.currency);
    const credits = usd.filter((r) => cents(r.amount) > 0).reduce((a, r) => a + cents(r.amount), 0);
    const debits = usd.filter((r) => cents(r.amount) < 0).reduce((a, r) => a - cents(r.amount), 0);
    expect(all.body.totals).toEqual({
      currency: 'USD',
      credits: { amount: fmt(credits), currency: 'USD' },
      debits: { amount: fmt(debits), currency: 'USD' },
      net: { amount: fmt(credits - debits), currency: 'USD' },
    });
    const fees = await get(
      t.owner,
      '/api/finance/transactions?startDate=2026-01-01&endDate=2026-01-31&type=fee&currency=EUR',
    );
    expect(fees.body.transactions).toHaveLength(3);
    expect(fees.body.totals.debits).toEqual({ amount: '9.00', currency: 'EUR' });
    const big = await get(
      t.owner,
      '/api/finance/transactions?startDate=2026-01-01&endDate=2026-01-31&type=fee,refund&minAmount=10',
    );
    expect(big.body.transactions.map((x: Json) => x.amount.amount)).toEqual(['-20.0000', '-15.0000']);
    const paged = await get(
      t.owner,
      '/api/finance/transactions?startDate=2026-01-01&endDate=2026-01-31&limit=2&page=3',
    );
    expect(paged.body.transactions).toHaveLength(1);
    expect(paged.body.pagination).toEqual({ page: 3, limit: 2, total: 5, pages: 3 });
  });

  it.each([
    'startDate=2026-01-01',
    'startDate=2026-01-01&endDate=2026-01-31&type=salary',
    'startDate=2026-01-01&endDate=2026-01-31&minAmount=-5',
  ])('400 for %s', async (q) => {
    const t = await createTenant();
    expect((await get(t.owner, `/api/finance/transactions?${q}`)).res.status).toBe(400);
  });

  it('401 without a token; viewers may read', async () => {
    const t = await createTenant();
    expect((await api('/api/finance/transactions?startDate=2026-01-01&endDate=2026-01-31')).status).toBe(401);
    expect(
      (
        await get(
          await t.addUser('viewer'),
          '/api/finance/transactions?startDate=2026-01-01&endDate=2026-01-31',
        )
      ).res.status,
    ).toBe(200);
  });
});
