import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { products, tenants } from '../../src/db/schema';
import { api, createTenant, type TestTenant, type TestUser, testDb } from './harness';
import {
  cents,
  fmt,
  type Json,
  newAsin,
  noonUtc,
  rollup,
  seedCompetitors,
  seedInventory,
  seedOrder,
  seedPriceHistory,
  seedProduct,
  US,
  utcDay,
} from './seed';

async function list(user: TestUser, query = '') {
  const res = await api(`/api/products?${query}`, { as: user });
  return { res, body: (await res.json()) as Json };
}
const asins = (body: Json) => body.data.map((p: Json) => p.asin);
const dataVersion = async (id: string) =>
  (await testDb().select({ v: tenants.dataVersion }).from(tenants).where(eq(tenants.id, id)))[0]!.v;

/** Four listings with known 30-day sales, costs and stock; returns what each should compute to. */
async function catalog(t: TestTenant) {
  const spec = [
    {
      title: 'Blue widget deluxe',
      brand: 'Acme',
      category: 'Tools',
      price: '25.00',
      cost: '10.0000',
      fbaStock: 400,
      buyBoxStatus: 'winner' as const,
      fulfillmentChannel: 'FBA' as const,
      sales: [{ q: 4, p: '100.00', fee: '15.0000' }],
    },
    {
      title: 'Red gadget',
      brand: 'Acme',
      category: 'Toys',
      price: '12.00',
      cost: '3.0000',
      fbaStock: 0,
      buyBoxStatus: 'lost' as const,
      fulfillmentChannel: 'FBA' as const,
      sales: [{ q: 10, p: '120.00', fee: '30.0000' }],
    },
    {
      title: 'Green gizmo',
      brand: 'Zeta',
      category: 'Tools',
      price: '40.00',
      cost: '30.0000',
      fbaStock: 20,
      fbmStock: 5,
      buyBoxStatus: 'winner' as const,
      fulfillmentChannel: 'FBM' as const,
      sales: [{ q: 1, p: '40.00', fee: '6.0000' }],
    },
    {
      title: 'Spare part',
      brand: 'Zeta',
      category: 'Parts',
      price: '5.00',
      cost: null,
      fbaStock: 50,
      buyBoxStatus: 'suppressed' as const,
      fulfillmentChannel: 'FBA' as const,
      isActive: false,
      sales: [],
    },
  ];
  const made = [];
  for (const s of spec) {
    const { sales, ...p } = s;
    const row = await seedProduct(t.id, {
      ...p,
      sku: `SKU-${p.title.split(' ')[0]!.toUpperCase()}-${Math.random().toString(36).slice(2, 6)}`,
    });
    for (const sale of sales)
      await seedOrder(t.id, {
        purchaseDate: noonUtc(-3),
        items: [{ asin: row.asin, quantity: sale.q, itemPrice: sale.p, referralFee: sale.fee }],
      });
    const revenue = sales.reduce((a, x) => a + cents(x.p), 0);
    const units = sales.reduce((a, x) => a + x.q, 0);
    const fees = sales.reduce((a, x) => a + cents(x.fee), 0);
    const cogs = units * cents(p.cost ?? '0');
    const profit = revenue - fees - cogs;
    const available = p.fbaStock + (p.fbmStock ?? 0);
    const velocity = units / 30;
    const dos = velocity > 0 ? available / velocity : null;
    made.push({
      ...row,
      revenue,
      profit,
      margin: revenue ? Math.round((10000 * profit) / revenue) / 100 : null,
      available,
      dos,
    });
  }
  await rollup(t.id);
  return made;
}

describe('GET /api/products', () => {
  it('lists with 30-day metrics, stock bands and aggregations, sorted by sales by default', async () => {
    const t = await createTenant();
    const made = await catalog(t);
    const { res, body } = await list(t.owner);
    expect(res.status).toBe(200);
    expect(asins(body)).toEqual(
      [...made].sort((a, b) => b.revenue - a.revenue || (a.id < b.id ? 1 : -1)).map((p) => p.asin),
    );
    const blue = body.data.find((p: Json) => p.asin === made[0]!.asin);
    expect(blue.metrics.sales30d).toEqual({ amount: fmt(made[0]!.revenue), currency: 'USD' });
    expect(blue.metrics.profit30d.amount).toBe(fmt(made[0]!.profit));
    expect(blue.metrics.margin).toBe(made[0]!.margin);
    expect(blue.metrics.daysOfStock).toBe(Math.round(made[0]!.dos! * 10) / 10);
    expect(blue.metrics.stockLevel).toBe('excess'); // 400 units at 4/30 a day = 3000 days
    expect(body.data.find((p: Json) => p.asin === made[1]!.asin).metrics.stockLevel).toBe('critical');
    expect(body.data.find((p: Json) => p.asin === made[2]!.asin).metrics.stockLevel).toBe('excess'); // 25 / (1/30) = 750 days
    expect(body.data.find((p: Json) => p.asin === made[3]!.asin).metrics.stockLevel).toBe('normal'); // nothing sold
    expect(body.aggregations.totalProducts).toBe(4);
    const value = made.reduce((a, p) => a + p.available * cents(p.price!), 0);
    expect(body.aggregations.totalValue).toEqual({ amount: fmt(value), currency: 'USD' });
    const margins = made.filter((p) => p.margin !== null).map((p) => p.margin!);
    expect(body.aggregations.avgMargin).toBe(
      Math.round((100 * margins.reduce((a, m) => a + m, 0)) / margins.length) / 100,
    );
    expect(body.aggregations.lowStockCount).toBe(1);
    expect(body.pagination).toMatchObject({ page: 1, limit: 25, total: 4, pages: 1, nextCursor: null });
  });

  it('searches ASIN, SKU and title words (prefix full-text) and filters by category and brand', async () => {
    const t = await createTenant();
    const made = await catalog(t);
    expect(asins((await list(t.owner, 'search=widg')).body)).toEqual([made[0]!.asin]);
    expect(asins((await list(t.owner, 'search=blue%20del')).body)).toEqual([made[0]!.asin]);
    expect(asins((await list(t.owner, `search=${made[2]!.asin}`)).body)).toEqual([made[2]!.asin]);
    expect(asins((await list(t.owner, `search=${encodeURIComponent(made[1]!.sku!)}`)).body)).toEqual([
      made[1]!.asin,
    ]);
    expect((await list(t.owner, 'search=nothing-like-this')).body.data).toEqual([]);
    expect(asins((await list(t.owner, 'category=Tools&sortBy=stock&sortOrder=asc')).body)).toEqual([
      made[2]!.asin,
      made[0]!.asin,
    ]);
    expect(asins((await list(t.owner, 'brand=Zeta&sortBy=stock')).body)).toEqual([
      made[3]!.asin,
      made[2]!.asin,
    ]);
  });

  it('applies every filter, flat or nested as filters[...]', async () => {
    const t = await createTenant();
    const made = await catalog(t);
    const only = async (q: string) => asins((await list(t.owner, q)).body).sort();
    const sorted = (...i: number[]) => i.map((n) => made[n]!.asin).sort();
    expect(await only('stockLevel=critical')).toEqual(sorted(1));
    expect(await only('filters[stockLevel]=critical')).toEqual(sorted(1));
    expect(await only('stockLevel=excess')).toEqual(sorted(0, 2));
    expect(await only('buyBoxStatus=lost')).toEqual(sorted(1));
    expect(await only('filters[buyBoxStatus]=suppressed')).toEqual(sorted(3));
    const m0 = made[0]!.margin!;
    expect(await only(`marginMin=${m0}`)).toEqual(sorted(...[0, 1, 2].filter((i) => made[i]!.margin! >= m0)));
    expect(await only(`marginMax=${m0}`)).toEqual(sorted(...[0, 1, 2].filter((i) => made[i]!.margin! <= m0)));
    expect(await only('priceMin=12&priceMax=25')).toEqual(sorted(0, 1));
    expect(await only('filters[priceMin]=12&filters[priceMax]=25')).toEqual(sorted(0, 1));
    expect(await only('isActive=false')).toEqual(sorted(3));
    expect(await only('isActive=true')).toEqual(sorted(0, 1, 2));
    expect(await only('fulfillmentChannel=FBM')).toEqual(sorted(2));
    expect(await only('fulfillmentChannel=both')).toEqual(sorted(0, 1, 2, 3));
    // Flat wins over nested when both are given.
    expect(await only('buyBoxStatus=lost&filters[buyBoxStatus]=winner')).toEqual(sorted(1));
    const agg = (await list(t.owner, 'brand=Acme')).body.aggregations;
    expect(agg.totalProducts).toBe(2);
    expect(agg.lowStockCount).toBe(1);
  });

  it('sorts by sales, profit, stock, margin and updated in both directions', async () => {
    const t = await createTenant();
    const made = await catalog(t);
    const by = (key: (p: (typeof made)[number]) => number | null, dir: 1 | -1) =>
      [...made]
        .sort((a, b) => {
          const x = key(a) ?? (dir === 1 ? Number.NEGATIVE_INFINITY : Number.NEGATIVE_INFINITY);
          const y = key(b) ?? Number.NEGATIVE_INFINITY;
          return dir * (x - y) || dir * (a.id < b.id ? -1 : 1);
        })
        .map((p) => p.asin);
    expect(asins((await list(t.owner, 'sortBy=sales&sortOrder=asc')).body)).toEqual(by((p) => p.revenue, 1));
    expect(asins((await list(t.owner, 'sortBy=profit')).body)).toEqual(by((p) => p.profit, -1));
    expect(asins((await list(t.owner, 'sortBy=stock&sortOrder=asc')).body)).toEqual(
      by((p) => p.available, 1),
    );
    expect(asins((await list(t.owner, 'sortBy=margin')).body)).toEqual(by((p) => p.margin, -1));
    await testDb().update(products).set({ notes: 'touched' }).where(eq(products.asin, made[2]!.asin));
    expect(asins((await list(t.owner, 'sortBy=updated')).body)[0]).toBe(made[2]!.asin);
  });

  it('pages by offset up to 1,000 rows, then by cursor with no gaps or repeats', async () => {
    const t = await createTenant();
    const rows = Array.from({ length: 23 }, (_, i) => ({
      tenantId: t.id,
      asin: newAsin(),
      marketplaceId: US,
      currency: 'USD',
      price: '10.00',
      fbaStock: i % 5, // ties, so the id tie-breaker matters
    }));
    const inserted = await testDb()
      .insert(products)
      .values(rows)
      .returning({ id: products.id, asin: products.asin, stock: products.fbaStock });
    const expected = inserted.sort((a, b) => a.stock - b.stock || (a.id < b.id ? -1 : 1)).map((p) => p.asin);

    const page2 = await list(t.owner, 'sortBy=stock&sortOrder=asc&limit=5&page=2');
    expect(asins(page2.body)).toEqual(expected.slice(5, 10));
    expect(page2.body.pagination).toMatchObject({ total: 23, pages: 5 });

    const seen: string[] = [];
    let cursor: string | null = null;
    let first = true;
    while (first || cursor) {
      const q: string = `sortBy=stock&sortOrder=asc&limit=7${cursor ? `&cursor=${cursor}` : ''}`;
      const { body } = await list(t.owner, q);
      seen.push(...asins(body));
      cursor = body.pagination.nextCursor;
      first = false;
    }
    expect(seen).toEqual(expected);

    const tooDeep = await list(t.owner, 'page=11&limit=100');
    expect(tooDeep.res.status).toBe(400);
    expect(tooDeep.body.error.details[0].code).toBe('use_cursor');
    expect((await list(t.owner, 'page=10&limit=100')).res.status).toBe(200);
    expect((await list(t.owner, 'sortBy=stock&cursor=not-a-cursor')).res.status).toBe(400);
    const cursorForStock = (await list(t.owner, 'sortBy=stock&limit=2')).body.pagination.nextCursor;
    expect((await list(t.owner, `sortBy=sales&limit=2&cursor=${cursorForStock}`)).res.status).toBe(400);
  });

  it.each([
    'limit=101',
    'page=0',
    'sortBy=price',
    'stockLevel=empty',
    'filters[stockLevel]=empty',
    'marginMin=50&marginMax=10',
    'priceMin=-1',
    'isActive=yes',
    'fulfillmentChannel=AFN',
  ])('400 for %s', async (q) => {
    const t = await createTenant();
    const { res, body } = await list(t.owner, q);
    expect(res.status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
  });

  it("401 without a token, and another tenant's products never appear in lists or aggregates", async () => {
    const t = await createTenant();
    await catalog(t);
    const stranger = await createTenant();
    await seedProduct(stranger.id, {});
    expect((await api('/api/products')).status).toBe(401);
    const { body } = await list(stranger.owner);
    expect(body.data).toHaveLength(1);
    expect(body.aggregations.totalProducts).toBe(1);
    expect((await list(await t.addUser('viewer'))).res.status).toBe(200);
  });
});

describe('GET /api/products/{asin}', () => {
  it('computes sales, velocity over in-stock days, days of stock, history, competitors and recommendations', async () => {
    const t = await createTenant({ timezone: 'UTC' });
    const asin = newAsin();
    await seedProduct(t.id, {
      asin,
      cost: '5.0000',
      targetMargin: '20.00',
      fbaStock: 10,
      leadTimeDays: 30,
      safetyStockDays: 7,
      price: '20.00',
    });
    const sales = [
      { day: -5, q: 3, p: '30.00', fee: '4.5000' },
      { day: -10, q: 5, p: '50.00', fee: '7.5000' },
      { day: -40, q: 100, p: '1000.00', fee: '150.0000' }, // outside 30 days, inside 90
      { day: -120, q: 9, p: '90.00', fee: '9.0000' }, // outside 90 days
    ];
    for (const s of sales)
      await seedOrder(t.id, {
        purchaseDate: noonUtc(s.day),
        items: [{ asin, quantity: s.q, itemPrice: s.p, referralFee: s.fee }],
      });
    // 30 daily snapshots, 10 of them out of stock: velocity divides by 20 in-stock days.
    await seedInventory(
      t.id,
      asin,
      Array.from({ length: 30 }, (_, i) => ({ date: utcDay(-i), fulfillable: i % 3 === 0 ? 0 : 10 })),
    );
    await seedPriceHistory(t.id, asin, [
      { capturedAt: new Date(`${utcDay(-2)}T08:00:00Z`), ourPrice: '19.00', salesRank: 1500 },
      { capturedAt: new Date(`${utcDay(-2)}T20:00:00Z`), ourPrice: '21.00', salesRank: 1200 },
      { capturedAt: new Date(`${utcDay(-1)}T08:00:00Z`), ourPrice: '20.00', salesRank: 900 },
    ]);
    await seedCompetitors(t.id, asin, [
      { sellerId: 'S1', price: '19.00', isBuyBoxWinner: true },
      { sellerId: 'S2', price: '21.50' },
      { sellerId: 'S3', price: '20.00' },
    ]);
    await rollup(t.id);

    const res = await api(`/api/products/${asin}`, { as: t.owner });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    const in30 = sales.filter((s) => s.day > -30);
    const in90 = sales.filter((s) => s.day > -90);
    const units30 = in30.reduce((a, s) => a + s.q, 0);
    expect(body.metrics.sales30d.amount).toBe(fmt(in30.reduce((a, s) => a + cents(s.p), 0)));
    expect(body.metrics.sales90d.amount).toBe(fmt(in90.reduce((a, s) => a + cents(s.p), 0)));
    expect(body.metrics.units30d).toBe(units30);
    const inStockDays = Array.from({ length: 30 }, (_, i) => i).filter((i) => i % 3 !== 0).length;
    const velocity = units30 / inStockDays;
    expect(body.metrics.velocity).toBe(Math.round(velocity * 100) / 100);
    const dos = 10 / velocity;
    expect(body.metrics.daysOfStock).toBe(Math.round(dos * 10) / 10);
    expect(body.metrics.stockLevel).toBe('low');

    expect(body.history.price.map((p: Json) => [p.date, p.value.amount])).toEqual([
      [utcDay(-2), '21.00'],
      [utcDay(-1), '20.00'],
    ]);
    expect(body.history.rank.map((p: Json) => p.value)).toEqual([1200, 900]);
    expect(body.metrics.rankHistory).toEqual(body.history.rank);
    expect(body.history.stock).toHaveLength(30);
    expect(body.history.sales.map((s: Json) => s.units)).toEqual(
      in90.sort((a, b) => a.day - b.day).map((s) => s.q),
    );

    expect(body.competitors.count).toBe(3);
    expect(body.competitors.lowestPrice.amount).toBe('19.00');
    expect(body.competitors.averagePrice.amount).toBe(fmt(Math.round((1900 + 2150 + 2000) / 3)));

    // Restock now: stock lasts less than lead time + safety stock.
    const daysUntil = Math.max(0, Math.floor(dos - 30 - 7));
    expect(body.recommendations.restockDate).toBe(utcDay(daysUntil));
    expect(body.recommendations.restockQuantity).toBe(Math.max(0, Math.ceil(velocity * (30 + 7 + 30)) - 10));
    const feeRate = in90.reduce((a, s) => a + cents(s.fee), 0) / in90.reduce((a, s) => a + cents(s.p), 0);
    expect(body.recommendations.targetPrice.amount).toBe(fmt(Math.round(500 / (1 - 0.2 - feeRate))));
    expect(body.recommendations.warnings.join(' ')).toMatch(/lead time/);
  });

  it("404 for an unknown ASIN or another tenant's, 400 for a malformed one, 401 without a token", async () => {
    const t = await createTenant();
    const stranger = await createTenant();
    const theirs = await seedProduct(stranger.id, {});
    expect((await api(`/api/products/${theirs.asin}`, { as: t.owner })).status).toBe(404);
    expect((await api(`/api/products/${newAsin()}`, { as: t.owner })).status).toBe(404);
    expect((await api('/api/products/short', { as: t.owner })).status).toBe(400);
    expect((await api(`/api/products/${theirs.asin}`)).status).toBe(401);
  });
});

describe('PUT /api/products/{asin}', () => {
  it('updates the planning fields, returns the product and invalidates cached views', async () => {
    const t = await createTenant();
    const p = await seedProduct(t.id, { fbaStock: 8 });
    const before = await dataVersion(t.id);
    const body = {
      minStockAlert: 10,
      maxStock: 200,
      targetMargin: 25.5,
      notes: 'reorder from B',
      tags: ['core', 'q4'],
      customFields: { supplier: 'B', moq: 50 },
    };
    const res = await api(`/api/products/${p.asin}`, { method: 'PUT', as: t.owner, json: body });
    expect(res.status).toBe(200);
    const out = (await res.json()) as Json;
    expect(out.success).toBe(true);
    expect(out.product).toMatchObject({ ...body, asin: p.asin });
    expect(out.product.metrics.stockLevel).toBe('low'); // 8 available <= minStockAlert 10
    expect(await dataVersion(t.id)).toBe(before + 1);
    const [row] = await testDb().select().from(products).where(eq(products.id, p.id));
    expect(row).toMatchObject({
      minStockAlert: 10,
      maxStock: 200,
      targetMargin: '25.50',
      tags: ['core', 'q4'],
    });
  });

  it.each([
    [{ minStockAlert: -1 }, 'negative minStockAlert'],
    [{ minStockAlert: 10, maxStock: 10 }, 'maxStock not above minStockAlert'],
    [{ targetMargin: 100.5 }, 'targetMargin above 100'],
    [{ targetMargin: -1 }, 'targetMargin below 0'],
    [{ notes: 'x'.repeat(501) }, 'notes over 500 characters'],
    [{ tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'more than 10 tags'],
    [{ price: '1.00' }, 'a field that is not editable'],
    [{ minStockAlert: 1.5 }, 'fractional stock'],
  ] as Array<[Record<string, unknown>, string]>)('400 for %j (%s)', async (json) => {
    const t = await createTenant();
    const p = await seedProduct(t.id, {});
    const res = await api(`/api/products/${p.asin}`, { method: 'PUT', as: t.owner, json });
    expect(res.status).toBe(400);
  });

  it('checks maxStock against the stored minStockAlert', async () => {
    const t = await createTenant();
    const p = await seedProduct(t.id, { minStockAlert: 50, maxStock: 100 });
    const res = await api(`/api/products/${p.asin}`, { method: 'PUT', as: t.owner, json: { maxStock: 40 } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).error.message).toMatch(/maxStock/);
    const ok = await api(`/api/products/${p.asin}`, { method: 'PUT', as: t.owner, json: { maxStock: 60 } });
    expect(ok.status).toBe(200);
  });

  it("403 for a viewer, 404 for another tenant's ASIN, 401 without a token", async () => {
    const t = await createTenant();
    const p = await seedProduct(t.id, {});
    const viewer = await t.addUser('viewer');
    expect(
      (await api(`/api/products/${p.asin}`, { method: 'PUT', as: viewer, json: { notes: 'x' } })).status,
    ).toBe(403);
    const stranger = await createTenant();
    expect(
      (await api(`/api/products/${p.asin}`, { method: 'PUT', as: stranger.owner, json: { notes: 'x' } }))
        .status,
    ).toBe(404);
    expect((await api(`/api/products/${p.asin}`, { method: 'PUT', json: { notes: 'x' } })).status).toBe(401);
    const [row] = await testDb().select().from(products).where(eq(products.id, p.id));
    expect(row!.notes).toBeNull();
  });
});

describe('POST /api/products/bulk-update', () => {
  it('updates the ASINs it can and reports the ones that failed', async () => {
    const t = await createTenant();
    const a = await seedProduct(t.id, {});
    const b = await seedProduct(t.id, { maxStock: 5, minStockAlert: 1 });
    const stranger = await createTenant();
    const theirs = await seedProduct(stranger.id, {});
    const missing = newAsin();
    const res = await api('/api/products/bulk-update', {
      method: 'POST',
      as: t.owner,
      json: { asins: [a.asin, b.asin, theirs.asin, missing], updates: { minStockAlert: 10, tags: ['bulk'] } },
    });
    expect(res.status).toBe(200);
    const out = (await res.json()) as Json;
    expect(out).toMatchObject({ success: false, updated: 1 });
    expect(out.failed.sort()).toEqual([b.asin, theirs.asin, missing].sort());
    const [rowA] = await testDb().select().from(products).where(eq(products.id, a.id));
    expect(rowA).toMatchObject({ minStockAlert: 10, tags: ['bulk'] });
    const [rowTheirs] = await testDb().select().from(products).where(eq(products.id, theirs.id));
    expect(rowTheirs!.tags).toEqual([]);
  });

  it('400 for more than 100 ASINs, an empty list or unknown fields; 403 for a viewer', async () => {
    const t = await createTenant();
    const many = Array.from({ length: 101 }, () => newAsin());
    const post = (json: unknown, as = t.owner) =>
      api('/api/products/bulk-update', { method: 'POST', as, json });
    expect((await post({ asins: many, updates: { notes: 'x' } })).status).toBe(400);
    expect((await post({ asins: [], updates: { notes: 'x' } })).status).toBe(400);
    expect((await post({ asins: [newAsin()], updates: { price: 3 } })).status).toBe(400);
    expect((await post({ asins: [newAsin()], updates: {}, extra: 1 })).status).toBe(400);
    expect(
      (await post({ asins: [newAsin()], updates: { notes: 'x' } }, await t.addUser('viewer'))).status,
    ).toBe(403);
  });
});
