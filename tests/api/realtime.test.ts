import { describe, expect, it } from 'vitest';
import { syncJobs } from '../../src/db/schema';
import { bumpDataVersion } from '../../src/services/cache';
import { api, createTenant, type TestUser, testDb } from './harness';
import { cents, fmt, type Json, newAsin, seedAlert, seedOrder, seedProduct } from './seed';

async function getRealtime(user: TestUser, query = '') {
  const res = await api(`/api/metrics/realtime${query}`, { as: user });
  return { res, body: (await res.json()) as Json };
}

describe('GET /api/metrics/realtime', () => {
  it("reports today's sales, inventory value at cost, low stock, alerts and sync status", async () => {
    const t = await createTenant({ timezone: 'UTC' });
    const [a1, a2, a3] = [newAsin(), newAsin(), newAsin()];
    await seedProduct(t.id, { asin: a1, cost: '4.2500', fbaStock: 10, fbmStock: 2 });
    await seedProduct(t.id, { asin: a2, cost: '1.1000', fbaStock: 0 }); // out of stock → critical
    await seedProduct(t.id, { asin: a3, cost: null, fbaStock: 5, minStockAlert: 10 }); // at/below min → low
    await seedProduct(t.id, { asin: newAsin(), fbaStock: 0, isActive: false }); // inactive: not counted
    const now = new Date();
    const today = [
      { quantity: 2, itemPrice: '30.00', promotionDiscount: '3.00' },
      { quantity: 1, itemPrice: '12.50' },
    ];
    for (const i of today) await seedOrder(t.id, { purchaseDate: now, items: [{ asin: a1, ...i }] });
    await seedOrder(t.id, {
      purchaseDate: now,
      status: 'Canceled',
      items: [{ asin: a1, quantity: 5, itemPrice: '99.00' }],
    });
    await seedOrder(t.id, {
      purchaseDate: new Date(now.getTime() - 3 * 86_400_000),
      items: [{ asin: a1, quantity: 7, itemPrice: '70.00' }],
    });
    await seedAlert(t.id, 'high');
    await seedAlert(t.id, 'low', 'resolved');
    await testDb()
      .insert(syncJobs)
      .values({ tenantId: t.id, type: 'orders', trigger: 'manual', status: 'processing' });

    const other = await createTenant();
    await seedOrder(other.id, {
      purchaseDate: now,
      items: [{ asin: a1, quantity: 50, itemPrice: '500.00' }],
    });

    const { res, body } = await getRealtime(t.owner);
    expect(res.status).toBe(200);
    const revenue = today.reduce((s, i) => s + cents(i.itemPrice) - cents(i.promotionDiscount ?? '0'), 0);
    expect(body.todaySales).toEqual({ amount: fmt(revenue), currency: 'USD' });
    expect(body.todayOrders).toBe(today.length);
    expect(body.todayUnits).toBe(today.reduce((s, i) => s + i.quantity, 0));
    expect(body.currentInventoryValue.amount).toBe(fmt(12 * 425 + 0 * 110));
    expect(body.productsWithoutCost).toBe(1);
    expect(body.lowStockProducts).toBe(2);
    expect(body.activeAlerts).toBe(1);
    expect(body.syncStatus).toBe('running');
    expect(Date.parse(body.timestamp)).not.toBeNaN();
  });

  it('reports an error when the last finished sync failed, idle otherwise', async () => {
    const t = await createTenant();
    expect((await getRealtime(t.owner)).body.syncStatus).toBe('idle');
    await testDb().insert(syncJobs).values({
      tenantId: t.id,
      type: 'orders',
      trigger: 'schedule',
      status: 'failed',
      finishedAt: new Date(),
    });
    await bumpDataVersion({ db: testDb(), tenant: { id: t.id } });
    const { body } = await getRealtime(t.owner);
    expect(body.syncStatus).toBe('error');
    expect(body.lastSyncAt).not.toBeNull();
  });

  it('is cached (HIT on repeat) until the data version changes', async () => {
    const t = await createTenant();
    expect((await getRealtime(t.owner)).res.headers.get('x-cache')).toBe('MISS');
    let hit = false;
    for (let i = 0; i < 20 && !hit; i++) {
      hit = (await getRealtime(t.owner)).res.headers.get('x-cache') === 'HIT';
      if (!hit) await new Promise((r) => setTimeout(r, 50));
    }
    expect(hit).toBe(true);
    await seedOrder(t.id, {
      purchaseDate: new Date(),
      items: [{ asin: newAsin(), quantity: 1, itemPrice: '5.00' }],
    });
    await bumpDataVersion({ db: testDb(), tenant: { id: t.id } });
    const fresh = await getRealtime(t.owner);
    expect(fresh.res.headers.get('x-cache')).toBe('MISS');
    expect(fresh.body.todayOrders).toBe(1);
  });

  it('400 for a malformed currency; 401 without a token; the viewer role may read it', async () => {
    const t = await createTenant();
    expect((await getRealtime(t.owner, '?currency=dollars')).res.status).toBe(400);
    expect((await api('/api/metrics/realtime')).status).toBe(401);
    expect((await getRealtime(await t.addUser('viewer'))).res.status).toBe(200);
  });
});
