import { describe, expect, it } from 'vitest';
import { bumpDataVersion } from '../../src/services/cache';
import { api, createTenant, type TestUser, testDb } from './harness';
import {
  cents,
  fmt,
  type ItemSeed,
  type Json,
  newAsin,
  rollup,
  seedAdMetrics,
  seedAdTree,
  seedAlert,
  seedFinanceEvents,
  seedOrder,
  seedProduct,
} from './seed';

const pct = (a: number, b: number) => Math.round((10000 * a) / b) / 100;
const at = (day: string, hour: number) => new Date(`${day}T${String(hour).padStart(2, '0')}:30:00Z`);

async function getDashboard(user: TestUser, query: string) {
  const res = await api(`/api/metrics/dashboard?${query}`, { as: user });
  return { res, body: (await res.json()) as Json };
}

/** KV writes happen after the response (waitUntil): poll until the snapshot is readable. */
async function untilHit(user: TestUser, query: string) {
  for (let i = 0; i < 20; i++) {
    const { res, body } = await getDashboard(user, query);
    if (res.headers.get('x-cache') === 'HIT') return body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('never served from cache');
}

async function seedScenario() {
  const t = await createTenant({ timezone: 'UTC' });
  const [a1, a2] = [newAsin(), newAsin()];
  await seedProduct(t.id, { asin: a1, category: 'Kitchen', cost: '5.0000', title: 'Pan' });
  await seedProduct(t.id, { asin: a2, category: 'Garden', cost: '2.0000', title: 'Hose' });
  type Day = { day: string; hour: number; items: ItemSeed[]; state: string };
  const current: Day[] = [
    {
      day: '2026-01-10',
      hour: 9,
      items: [
        {
          asin: a1,
          quantity: 2,
          itemPrice: '50.00',
          promotionDiscount: '5.00',
          referralFee: '7.5000',
          fbaFee: '4.0000',
        },
      ],
      state: 'CA',
    },
    {
      day: '2026-01-11',
      hour: 14,
      items: [{ asin: a2, quantity: 1, itemPrice: '15.00', referralFee: '2.2500', fbaFee: '3.0000' }],
      state: 'NY',
    },
    {
      day: '2026-01-12',
      hour: 14,
      items: [
        { asin: a1, quantity: 1, itemPrice: '25.00', referralFee: '3.7500', fbaFee: '2.0000' },
        { asin: a2, quantity: 3, itemPrice: '45.00', referralFee: '6.7500', fbaFee: '9.0000' },
      ],
      state: 'CA',
    },
  ];
  const previous: Day[] = [
    {
      day: '2026-01-08',
      hour: 10,
      items: [{ asin: a1, quantity: 1, itemPrice: '25.00', referralFee: '3.7500', fbaFee: '2.0000' }],
      state: 'TX',
    },
  ];
  for (const o of [...current, ...previous])
    await seedOrder(t.id, { purchaseDate: at(o.day, o.hour), state: o.state, items: o.items });
  await seedAdTree(t.id, { campaignId: 'C1', name: 'Pans' });
  await seedAdMetrics(t.id, [
    {
      level: 'campaign',
      campaignId: 'C1',
      date: '2026-01-10',
      impressions: 1000,
      clicks: 40,
      cost: '12.00',
      sales7d: '60.00',
      orders7d: 3,
    },
    {
      level: 'campaign',
      campaignId: 'C1',
      date: '2026-01-12',
      impressions: 500,
      clicks: 10,
      cost: '8.00',
      sales7d: '20.00',
      orders7d: 1,
    },
    {
      level: 'campaign',
      campaignId: 'C1',
      date: '2026-01-08',
      impressions: 300,
      clicks: 5,
      cost: '4.00',
      sales7d: '10.00',
      orders7d: 1,
    },
  ]);
  await seedFinanceEvents(t.id, [
    {
      eventType: 'ServiceFee',
      category: 'fee',
      feeType: 'FBAStorageFee',
      amount: '-3.1000',
      postedDate: at('2026-01-11', 3),
    },
  ]);
  await seedAlert(t.id, 'critical');
  await seedAlert(t.id, 'high');
  await seedAlert(t.id, 'medium');
  await seedAlert(t.id, 'low', 'resolved');
  await rollup(t.id, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-31T00:00:00Z'));
  return { t, a1, a2, current, previous };
}

describe('GET /api/metrics/dashboard', () => {
  it('computes KPIs, comparison, charts and alert counts from the rollups', async () => {
    const { t, a1, a2, current, previous } = await seedScenario();
    const other = await createTenant();
    await seedOrder(other.id, {
      purchaseDate: at('2026-01-11', 9),
      items: [{ asin: a1, quantity: 100, itemPrice: '9999.00' }],
    });
    await rollup(other.id, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-31T00:00:00Z'));

    const lines = (os: typeof current) =>
      os.flatMap((o) => o.items.map((i) => ({ ...i, day: o.day, hour: o.hour })));
    const cur = lines(current);
    const prev = lines(previous);
    const revenue = (ls: typeof cur) =>
      ls.reduce((s, i) => s + cents(i.itemPrice) - cents(i.promotionDiscount ?? '0'), 0);
    const fees = (ls: typeof cur) =>
      ls.reduce((s, i) => s + cents(i.referralFee ?? '0') + cents(i.fbaFee ?? '0'), 0);
    const cost = { [a1]: 500, [a2]: 200 } as Record<string, number>;
    const cogs = (ls: typeof cur) => ls.reduce((s, i) => s + i.quantity * cost[i.asin]!, 0);
    const curProfit = revenue(cur) - fees(cur) - cogs(cur) - (1200 + 800) - 310;
    const prevProfit = revenue(prev) - fees(prev) - cogs(prev) - 400;

    const { res, body } = await getDashboard(
      t.owner,
      'startDate=2026-01-10&endDate=2026-01-12&comparison=previous_period',
    );
    expect(res.status).toBe(200);
    expect(body.currency).toBe('USD');
    expect(body.period.previous).toMatchObject({ startDate: '2026-01-07', endDate: '2026-01-09' });
    expect(body.kpis.revenue.value).toEqual({ amount: fmt(revenue(cur)), currency: 'USD' });
    expect(body.kpis.revenue.previous.amount).toBe(fmt(revenue(prev)));
    expect(body.kpis.revenue.change).toBe(pct(revenue(cur) - revenue(prev), revenue(prev)));
    expect(body.kpis.orders).toMatchObject({ value: current.length, previous: previous.length });
    expect(body.kpis.profit.value.amount).toBe(fmt(curProfit));
    expect(body.kpis.profit.previous.amount).toBe(fmt(prevProfit));
    expect(body.kpis.acos.value).toBe(pct(1200 + 800, 6000 + 2000));
    expect(body.kpis.acos.previous).toBe(pct(400, 1000));
    expect(body.kpis.conversion.value).toBe(pct(3 + 1, 40 + 10));
    expect(body.kpis.avgOrderValue.value.amount).toBe(fmt(Math.round(revenue(cur) / current.length)));

    const trend = body.charts.salesTrend;
    expect(trend.map((d: Json) => d.date)).toEqual(['2026-01-10', '2026-01-11', '2026-01-12']);
    for (const d of trend) expect(d.revenue.amount).toBe(fmt(revenue(cur.filter((i) => i.day === d.date))));
    expect(trend.map((d: Json) => d.orders)).toEqual([1, 1, 1]);

    const byAsin = (asin: string) => revenue(cur.filter((i) => i.asin === asin));
    const top = body.charts.topProducts;
    const expectedTop = [a1, a2].sort((x, y) => byAsin(y) - byAsin(x));
    expect(top.map((p: Json) => p.asin)).toEqual(expectedTop);
    expect(top[0].revenue.amount).toBe(fmt(byAsin(expectedTop[0]!)));
    const cats = Object.fromEntries(
      body.charts.salesByCategory.map((c: Json) => [c.category, c.revenue.amount]),
    );
    expect(cats).toEqual({ Kitchen: fmt(byAsin(a1)), Garden: fmt(byAsin(a2)) });

    const hours = body.charts.hourlyPerformance;
    expect(hours).toHaveLength(24);
    expect(hours[9].orders).toBe(1);
    expect(hours[14].orders).toBe(2);
    expect(hours[14].revenue.amount).toBe(fmt(revenue(cur.filter((i) => i.hour === 14))));
    const geo = Object.fromEntries(
      body.charts.geographicDistribution.map((g: Json) => [g.stateCode, g.orders]),
    );
    expect(geo).toEqual({ CA: 2, NY: 1 });

    expect(body.alerts).toMatchObject({ critical: 1, warning: 2, total: 3 });
    expect(body.alerts.active[0].severity).toBe('critical');
  });

  it('compares with the same days a year earlier and with a custom period', async () => {
    const t = await createTenant();
    const asin = newAsin();
    await seedOrder(t.id, {
      purchaseDate: at('2025-01-10', 12),
      items: [{ asin, quantity: 1, itemPrice: '10.00' }],
    });
    await seedOrder(t.id, {
      purchaseDate: at('2026-01-10', 12),
      items: [{ asin, quantity: 1, itemPrice: '30.00' }],
    });
    await seedOrder(t.id, {
      purchaseDate: at('2025-06-01', 12),
      items: [{ asin, quantity: 1, itemPrice: '20.00' }],
    });
    await rollup(t.id, new Date('2025-01-01T00:00:00Z'), new Date('2026-01-31T00:00:00Z'));
    const yoy = await getDashboard(
      t.owner,
      'startDate=2026-01-10&endDate=2026-01-10&comparison=previous_year',
    );
    expect(yoy.body.period.previous).toMatchObject({ startDate: '2025-01-10', endDate: '2025-01-10' });
    expect(yoy.body.kpis.revenue.change).toBe(pct(3000 - 1000, 1000));
    const custom = await getDashboard(
      t.owner,
      'startDate=2026-01-10&endDate=2026-01-10&comparison=custom&comparisonStartDate=2025-06-01&comparisonEndDate=2025-06-01',
    );
    expect(custom.body.kpis.revenue.previous.amount).toBe('20.00');
    expect(custom.body.period.change.revenue).toBe(pct(3000 - 2000, 2000));
  });

  it('narrows to one marketplace and one currency without mixing currencies', async () => {
    const t = await createTenant();
    const asin = newAsin();
    await seedOrder(t.id, {
      purchaseDate: at('2026-01-10', 12),
      items: [{ asin, quantity: 1, itemPrice: '30.00' }],
    });
    await seedOrder(t.id, {
      purchaseDate: at('2026-01-10', 13),
      marketplaceId: 'A1PA6795UKMFR9',
      currency: 'EUR',
      items: [{ asin, quantity: 1, itemPrice: '70.00', currency: 'EUR' }],
    });
    await rollup(t.id, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-31T00:00:00Z'));
    const usd = await getDashboard(t.owner, 'startDate=2026-01-10&endDate=2026-01-10');
    expect(usd.body.kpis.revenue.value).toEqual({ amount: '30.00', currency: 'USD' });
    const eur = await getDashboard(t.owner, 'startDate=2026-01-10&endDate=2026-01-10&currency=EUR');
    expect(eur.body.kpis.revenue.value).toEqual({ amount: '70.00', currency: 'EUR' });
    const de = await getDashboard(
      t.owner,
      'startDate=2026-01-10&endDate=2026-01-10&marketplaceId=A1PA6795UKMFR9',
    );
    expect(de.body.kpis.orders.value).toBe(0);
  });

  it('serves the second request from KV and recomputes after the data version is bumped', async () => {
    const { t, a1 } = await seedScenario();
    const q = 'startDate=2026-01-10&endDate=2026-01-12';
    const first = await getDashboard(t.owner, q);
    expect(first.res.headers.get('x-cache')).toBe('MISS');
    const cachedBody = await untilHit(t.owner, q);
    expect(cachedBody).toEqual(first.body);

    // New data lands (as a sync would do): cached numbers stay until the version moves.
    await seedOrder(t.id, {
      purchaseDate: at('2026-01-11', 20),
      items: [{ asin: a1, quantity: 1, itemPrice: '11.00' }],
    });
    await rollup(t.id, new Date('2026-01-11T00:00:00Z'), new Date('2026-01-11T23:00:00Z'));
    expect((await getDashboard(t.owner, q)).res.headers.get('x-cache')).toBe('HIT');
    await bumpDataVersion({ db: testDb(), tenant: { id: t.id } });
    const fresh = await getDashboard(t.owner, q);
    expect(fresh.res.headers.get('x-cache')).toBe('MISS');
    expect(cents(fresh.body.kpis.revenue.value.amount)).toBe(
      cents(first.body.kpis.revenue.value.amount) + 1100,
    );
  });

  it('a product edit that changes numbers invalidates the cached dashboard', async () => {
    const { t, a1 } = await seedScenario();
    const q = 'startDate=2026-01-10&endDate=2026-01-12';
    await getDashboard(t.owner, q);
    await untilHit(t.owner, q);
    const put = await api(`/api/products/${a1}`, { method: 'PUT', as: t.owner, json: { minStockAlert: 5 } });
    expect(put.status).toBe(200);
    expect((await getDashboard(t.owner, q)).res.headers.get('x-cache')).toBe('MISS');
  });

  it.each([
    ['endDate=2026-01-10', 'startDate missing'],
    ['startDate=2026-01-10&endDate=2026-01-09', 'end before start'],
    ['startDate=2023-01-01&endDate=2026-01-01', 'longer than two years'],
    ['startDate=2026-02-30&endDate=2026-03-01', 'not a calendar day'],
    ['startDate=2026-01-10&endDate=2026-01-12&comparison=custom', 'custom comparison without dates'],
    ['startDate=2026-01-10&endDate=2026-01-12&comparison=last_week', 'unknown comparison'],
    ['startDate=2026-01-10&endDate=2026-01-12&currency=usd', 'lower-case currency'],
  ])('400 for %s (%s)', async (query) => {
    const t = await createTenant();
    const { res, body } = await getDashboard(t.owner, query);
    expect(res.status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
  });

  it('401 without a token; a viewer may read it; another tenant never sees the numbers', async () => {
    const { t } = await seedScenario();
    expect((await api('/api/metrics/dashboard?startDate=2026-01-10&endDate=2026-01-12')).status).toBe(401);
    const viewer = await t.addUser('viewer');
    expect((await getDashboard(viewer, 'startDate=2026-01-10&endDate=2026-01-12')).res.status).toBe(200);
    const stranger = await createTenant();
    const { body } = await getDashboard(stranger.owner, 'startDate=2026-01-10&endDate=2026-01-12');
    expect(body.kpis.revenue.value.amount).toBe('0.00');
    expect(body.kpis.orders.value).toBe(0);
    expect(body.alerts.total).toBe(0);
  });
});
