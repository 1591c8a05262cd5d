import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { salesDaily, salesFeesDaily, salesGeoDaily, salesHourly } from '../../src/db/schema';
import { refreshSalesRollups } from '../../src/services/rollups';
import { createTenant, testDb } from './harness';
import { cents, newAsin, seedFinanceEvents, seedOrder, seedProduct, tenantContext } from './seed';

const db = () => testDb();

describe('refreshSalesRollups', () => {
  it('books orders on tenant-local days and hours, nets promotions, uses estimates until fees settle, skips cancellations', async () => {
    const t = await createTenant({ timezone: 'America/Los_Angeles' });
    const asin = newAsin();
    await seedProduct(t.id, { asin, cost: '4.5000' });
    // Los Angeles is UTC-8 in early March (daylight time starts on 8 March 2026).
    const lateEvening = new Date('2026-03-05T07:30:00Z'); // 4 March 23:30 PST
    const morning = new Date('2026-03-05T09:15:00Z'); // 5 March 01:15 PST
    const a = await seedOrder(t.id, {
      purchaseDate: lateEvening,
      country: 'US',
      state: 'WA',
      items: [
        {
          asin,
          quantity: 2,
          itemPrice: '40.00',
          promotionDiscount: '5.00',
          referralFee: '6.0000',
          fbaFee: '3.2200',
        },
      ],
    });
    const b = await seedOrder(t.id, {
      purchaseDate: morning,
      country: 'US',
      state: 'CA',
      items: [
        {
          asin,
          quantity: 1,
          itemPrice: '19.99',
          referralFee: '3.0000',
          fbaFee: '3.2200',
          feeStatus: 'settled',
        },
      ],
    });
    await seedOrder(t.id, {
      purchaseDate: morning,
      status: 'Canceled',
      items: [{ asin, quantity: 9, itemPrice: '99.00' }],
    });
    // Posted fees of the settled order differ from its estimate.
    await seedFinanceEvents(t.id, [
      {
        amazonOrderId: b.amazonOrderId,
        asin,
        category: 'fee',
        feeType: 'Commission',
        amount: '-2.9985',
        postedDate: new Date('2026-03-07T00:00:00Z'),
      },
      {
        amazonOrderId: b.amazonOrderId,
        asin,
        category: 'fee',
        feeType: 'FBAPerUnitFulfillmentFee',
        amount: '-3.5000',
        postedDate: new Date('2026-03-07T00:00:00Z'),
      },
    ]);

    const result = await refreshSalesRollups(await tenantContext(t.id), {
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-03-08T00:00:00Z'),
    });
    expect(result.days).toContain('2026-03-04');

    const daily = await db()
      .select()
      .from(salesDaily)
      .where(eq(salesDaily.tenantId, t.id))
      .orderBy(salesDaily.date);
    expect(daily.map((d) => d.date)).toEqual(['2026-03-04', '2026-03-05']);
    const [d4, d5] = daily;
    expect(d4).toMatchObject({ units: 2, orders: 1, currency: 'USD' });
    expect(cents(d4!.revenue)).toBe(cents('40.00') - cents('5.00'));
    expect(cents(d4!.promotions)).toBe(cents('5.00'));
    expect(cents(d4!.fees)).toBe(cents('6.00') + cents('3.22'));
    expect(cents(d4!.cogs)).toBe(2 * cents('4.50'));
    expect(d5).toMatchObject({ units: 1, orders: 1 });
    expect(cents(d5!.revenue)).toBe(cents('19.99'));
    // Settled: the posted fees (2.9985 + 3.5 = 6.4985 → 6.50), not the 6.22 estimate.
    expect(d5!.fees).toBe('6.50');

    // The same fees split into P&L lines, posted or estimated.
    const fees = await db().select().from(salesFeesDaily).where(eq(salesFeesDaily.tenantId, t.id));
    const line = (date: string, feeLine: string) =>
      fees.find((f) => f.date === date && f.feeLine === feeLine);
    expect(line('2026-03-04', 'referral')).toMatchObject({ estimated: true, amount: '6.0000', lines: 1 });
    expect(line('2026-03-04', 'fbaFulfillment')).toMatchObject({ estimated: true, amount: '3.2200' });
    expect(line('2026-03-05', 'referral')).toMatchObject({ estimated: false, amount: '2.9985' });
    expect(line('2026-03-05', 'fbaFulfillment')).toMatchObject({ estimated: false, amount: '3.5000' });

    const hourly = await db()
      .select()
      .from(salesHourly)
      .where(eq(salesHourly.tenantId, t.id))
      .orderBy(salesHourly.date);
    expect(hourly.map((h) => [h.date, h.hour, h.orders, h.units])).toEqual([
      ['2026-03-04', 23, 1, 2],
      ['2026-03-05', 1, 1, 1],
    ]);
    const geo = await db()
      .select()
      .from(salesGeoDaily)
      .where(eq(salesGeoDaily.tenantId, t.id))
      .orderBy(salesGeoDaily.date);
    expect(geo.map((g) => [g.date, g.countryCode, g.stateCode, g.orders])).toEqual([
      ['2026-03-04', 'US', 'WA', 1],
      ['2026-03-05', 'US', 'CA', 1],
    ]);
    expect(a.amazonOrderId).toBeTruthy();
  });

  it('books a refund posted weeks later on the day of the sale when the refresh covers only the posting', async () => {
    const t = await createTenant({ timezone: 'UTC' });
    const asin = newAsin();
    const o = await seedOrder(t.id, {
      purchaseDate: new Date('2026-02-01T10:00:00Z'),
      items: [{ asin, quantity: 1, itemPrice: '30.00' }],
    });
    await refreshSalesRollups(await tenantContext(t.id), {
      from: new Date('2026-02-01T00:00:00Z'),
      to: new Date('2026-02-01T23:59:59Z'),
    });
    await seedFinanceEvents(t.id, [
      {
        amazonOrderId: o.amazonOrderId,
        asin,
        eventType: 'Refund',
        category: 'refund',
        amount: '-30.00',
        postedDate: new Date('2026-02-20T08:00:00Z'),
      },
      {
        amazonOrderId: o.amazonOrderId,
        asin,
        eventType: 'Refund',
        category: 'fee',
        feeType: 'RefundCommission',
        amount: '-0.9000',
        postedDate: new Date('2026-02-20T08:00:00Z'),
      },
    ]);
    const { days } = await refreshSalesRollups(await tenantContext(t.id), {
      from: new Date('2026-02-20T00:00:00Z'),
      to: new Date('2026-02-20T23:00:00Z'),
    });
    expect(days).toEqual(['2026-02-01', '2026-02-20']);
    const [row] = await db()
      .select()
      .from(salesDaily)
      .where(and(eq(salesDaily.tenantId, t.id), eq(salesDaily.date, '2026-02-01')));
    expect(row!.refunds).toBe('30.00');
  });

  it('is idempotent and never touches another tenant', async () => {
    const t = await createTenant();
    const other = await createTenant();
    const asin = newAsin();
    const day = new Date('2026-01-15T12:00:00Z');
    await seedOrder(t.id, { purchaseDate: day, items: [{ asin, quantity: 3, itemPrice: '30.00' }] });
    await seedOrder(other.id, { purchaseDate: day, items: [{ asin, quantity: 5, itemPrice: '50.00' }] });
    const range = { from: new Date('2026-01-15T00:00:00Z'), to: new Date('2026-01-15T23:59:59Z') };
    await refreshSalesRollups(await tenantContext(t.id), range);
    await refreshSalesRollups(await tenantContext(t.id), range);
    const rows = await db().select().from(salesDaily).where(eq(salesDaily.tenantId, t.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ units: 3, revenue: '30.00' });
    expect(await db().select().from(salesDaily).where(eq(salesDaily.tenantId, other.id))).toHaveLength(0);
  });

  it('rejects a range whose end is before its start', async () => {
    const t = await createTenant();
    await expect(
      refreshSalesRollups(await tenantContext(t.id), {
        from: new Date('2026-01-02'),
        to: new Date('2026-01-01'),
      }),
    ).rejects.toThrow();
  });
});
