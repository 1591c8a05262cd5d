import { describe, expect, it } from 'vitest';
import { api, createTenant, type TestUser } from './harness';
import { cents, fmt, type Json, seedAdMetrics, seedAdMetricsHourly, seedAdTree } from './seed';

const pct = (a: number, b: number) => Math.round((10000 * a) / b) / 100;
const ratio = (a: number, b: number) => Math.round((100 * a) / b) / 100;

async function get(user: TestUser, path: string) {
  const res = await api(path, { as: user });
  return { res, body: (await res.json()) as Json };
}

type Row = {
  campaignId: string;
  date: string;
  impressions: number;
  clicks: number;
  cost: string;
  sales7d: string;
  orders7d: number;
};

async function scenario() {
  const t = await createTenant({ timezone: 'UTC' });
  await seedAdTree(t.id, { campaignId: 'C1', name: 'Pans exact', type: 'SP' });
  await seedAdTree(t.id, { campaignId: 'C2', name: 'Brand video', type: 'SB', state: 'paused' });
  await seedAdTree(t.id, {
    campaignId: 'C3',
    name: 'Display old',
    type: 'SD',
    state: 'archived',
    profileId: 'P2',
  });
  const rows: Row[] = [
    {
      campaignId: 'C1',
      date: '2026-03-02',
      impressions: 1000,
      clicks: 50,
      cost: '25.00',
      sales7d: '100.00',
      orders7d: 4,
    },
    {
      campaignId: 'C1',
      date: '2026-03-09',
      impressions: 800,
      clicks: 30,
      cost: '15.00',
      sales7d: '90.00',
      orders7d: 3,
    },
    {
      campaignId: 'C2',
      date: '2026-03-03',
      impressions: 5000,
      clicks: 20,
      cost: '30.00',
      sales7d: '40.00',
      orders7d: 1,
    },
    {
      campaignId: 'C3',
      date: '2026-03-04',
      impressions: 300,
      clicks: 3,
      cost: '2.00',
      sales7d: '0.00',
      orders7d: 0,
    },
    {
      campaignId: 'C1',
      date: '2026-02-20',
      impressions: 999,
      clicks: 99,
      cost: '99.00',
      sales7d: '9.00',
      orders7d: 1,
    }, // outside range
  ];
  await seedAdMetrics(
    t.id,
    rows.map((r) => ({ level: 'campaign' as const, ...r })),
  );
  // Finer levels of C1 on 2 March (the series must not add them to the campaign rows).
  await seedAdMetrics(t.id, [
    {
      level: 'ad_group',
      campaignId: 'C1',
      adGroupId: 'C1-g',
      date: '2026-03-02',
      impressions: 1000,
      clicks: 50,
      cost: '25.00',
      sales7d: '100.00',
      orders7d: 4,
    },
    {
      level: 'keyword',
      campaignId: 'C1',
      adGroupId: 'C1-g',
      keywordId: 'C1-k',
      date: '2026-03-02',
      impressions: 600,
      clicks: 40,
      cost: '20.00',
      sales7d: '80.00',
      orders7d: 3,
    },
    {
      level: 'product',
      campaignId: 'C1',
      adGroupId: 'C1-g',
      adId: 'AD1',
      asin: 'B0PANPAN01',
      date: '2026-03-02',
      impressions: 400,
      clicks: 10,
      cost: '5.00',
      sales7d: '20.00',
      orders7d: 1,
    },
    {
      level: 'product',
      campaignId: 'C1',
      adGroupId: 'C1-g',
      adId: 'AD2',
      asin: 'B0PANPAN01',
      date: '2026-03-02',
      impressions: 100,
      clicks: 5,
      cost: '1.00',
      sales7d: '0.00',
      orders7d: 0,
    },
  ]);
  return { t, rows: rows.filter((r) => r.date >= '2026-03-01') };
}

const total = (rows: Row[]) => ({
  spend: rows.reduce((a, r) => a + cents(r.cost), 0),
  sales: rows.reduce((a, r) => a + cents(r.sales7d), 0),
  impressions: rows.reduce((a, r) => a + r.impressions, 0),
  clicks: rows.reduce((a, r) => a + r.clicks, 0),
});

describe('GET /api/ads/campaigns', () => {
  it('lists campaigns with their metrics and totals over the range', async () => {
    const { t, rows } = await scenario();
    const { res, body } = await get(t.owner, '/api/ads/campaigns?startDate=2026-03-01&endDate=2026-03-31');
    expect(res.status).toBe(200);
    const per = (id: string) => total(rows.filter((r) => r.campaignId === id));
    const ids = ['C1', 'C2', 'C3'].sort((a, b) => per(b).spend - per(a).spend);
    expect(body.campaigns.map((c: Json) => c.campaignId)).toEqual(ids);
    const c1 = body.campaigns.find((c: Json) => c.campaignId === 'C1');
    expect(c1).toMatchObject({
      name: 'Pans exact',
      type: 'SP',
      state: 'enabled',
      spend: { amount: fmt(per('C1').spend), currency: 'USD' },
      sales: { amount: fmt(per('C1').sales), currency: 'USD' },
      impressions: per('C1').impressions,
      clicks: per('C1').clicks,
      acos: pct(per('C1').spend, per('C1').sales),
      roas: ratio(per('C1').sales, per('C1').spend),
    });
    expect(body.campaigns.find((c: Json) => c.campaignId === 'C3').acos).toBeNull();
    const all = total(rows);
    expect(body.totals).toMatchObject({
      currency: 'USD',
      spend: { amount: fmt(all.spend), currency: 'USD' },
      sales: { amount: fmt(all.sales), currency: 'USD' },
      impressions: all.impressions,
      clicks: all.clicks,
      acos: pct(all.spend, all.sales),
      roas: ratio(all.sales, all.spend),
    });
    expect(body.pagination).toEqual({ page: 1, limit: 25, total: 3, pages: 1 });
  });

  it('filters by state, type, profile and name; sorts by ACoS, sales and impressions; pages', async () => {
    const { t, rows } = await scenario();
    const ids = async (q: string) =>
      (
        await get(t.owner, `/api/ads/campaigns?startDate=2026-03-01&endDate=2026-03-31&${q}`)
      ).body.campaigns.map((c: Json) => c.campaignId);
    expect(await ids('status=paused')).toEqual(['C2']);
    expect(await ids('type=SD')).toEqual(['C3']);
    expect(await ids('profileId=P2')).toEqual(['C3']);
    expect(await ids('search=brand')).toEqual(['C2']);
    const per = (id: string) => total(rows.filter((r) => r.campaignId === id));
    const acos = (id: string) => (per(id).sales ? per(id).spend / per(id).sales : Number.POSITIVE_INFINITY);
    expect(await ids('sortBy=acos&sortOrder=asc')).toEqual(
      ['C1', 'C2', 'C3'].sort((a, b) => acos(a) - acos(b)),
    );
    expect(await ids('sortBy=sales')).toEqual(['C1', 'C2', 'C3'].sort((a, b) => per(b).sales - per(a).sales));
    expect(await ids('sortBy=impressions&sortOrder=asc')).toEqual(
      ['C1', 'C2', 'C3'].sort((a, b) => per(a).impressions - per(b).impressions),
    );
    const page = await get(
      t.owner,
      '/api/ads/campaigns?startDate=2026-03-01&endDate=2026-03-31&limit=2&page=2',
    );
    expect(page.body.campaigns).toHaveLength(1);
    const paused = await get(
      t.owner,
      '/api/ads/campaigns?startDate=2026-03-01&endDate=2026-03-31&status=paused',
    );
    expect(paused.body.totals.spend.amount).toBe(fmt(per('C2').spend));
  });

  it.each([
    'startDate=2026-03-01',
    'startDate=2026-03-01&endDate=2026-03-31&status=running',
    'startDate=2026-03-01&endDate=2026-03-31&sortBy=ctr',
    'startDate=2026-03-31&endDate=2026-03-01',
  ])('400 for %s', async (q) => {
    const t = await createTenant();
    expect((await get(t.owner, `/api/ads/campaigns?${q}`)).res.status).toBe(400);
  });

  it('401 without a token; viewers may read; another tenant sees nothing', async () => {
    const { t } = await scenario();
    expect((await api('/api/ads/campaigns?startDate=2026-03-01&endDate=2026-03-31')).status).toBe(401);
    expect(
      (await get(await t.addUser('viewer'), '/api/ads/campaigns?startDate=2026-03-01&endDate=2026-03-31')).res
        .status,
    ).toBe(200);
    const stranger = await createTenant();
    const { body } = await get(stranger.owner, '/api/ads/campaigns?startDate=2026-03-01&endDate=2026-03-31');
    expect(body.campaigns).toEqual([]);
    expect(body.totals.spend.amount).toBe('0.00');
  });
});

describe('GET /api/ads/performance', () => {
  it('gives day, week and month series at campaign level, and breakdowns by campaign, ad group, keyword and product', async () => {
    const { t, rows } = await scenario();
    const base = '/api/ads/performance?startDate=2026-03-01&endDate=2026-03-31';
    const day = (await get(t.owner, `${base}&granularity=day`)).body;
    const days = [...new Set(rows.map((r) => r.date))].sort();
    expect(day.performance.map((p: Json) => p.period)).toEqual(days);
    const d2 = total(rows.filter((r) => r.date === '2026-03-02'));
    expect(day.performance[0]).toMatchObject({
      spend: { amount: fmt(d2.spend), currency: 'USD' },
      acos: pct(d2.spend, d2.sales),
    });

    const week = (await get(t.owner, `${base}&granularity=week`)).body;
    // ISO weeks start on Monday: 2 March and 9 March 2026 are Mondays.
    expect(week.performance.map((p: Json) => p.period)).toEqual(['2026-03-02', '2026-03-09']);
    const w1 = total(rows.filter((r) => r.date < '2026-03-09'));
    expect(week.performance[0].spend.amount).toBe(fmt(w1.spend));
    const month = (await get(t.owner, `${base}&granularity=month`)).body;
    expect(month.performance).toHaveLength(1);
    expect(month.performance[0].impressions).toBe(total(rows).impressions);

    const b = day.breakdown;
    expect(b.byCampaign.map((c: Json) => c.campaignId)).toEqual(
      ['C2', 'C1', 'C3'].sort(
        (x, y) =>
          total(rows.filter((r) => r.campaignId === y)).spend -
          total(rows.filter((r) => r.campaignId === x)).spend,
      ),
    );
    expect(b.byAdGroup).toEqual([
      expect.objectContaining({
        adGroupId: 'C1-g',
        name: 'Pans exact group',
        spend: { amount: '25.00', currency: 'USD' },
      }),
    ]);
    expect(b.byKeyword).toEqual([
      expect.objectContaining({
        keywordId: 'C1-k',
        keywordText: 'Pans exact keyword',
        matchType: 'EXACT',
        acos: pct(2000, 8000),
      }),
    ]);
    // Two product ads of one ASIN add up under that ASIN.
    expect(b.byProduct).toEqual([
      expect.objectContaining({ asin: 'B0PANPAN01', spend: { amount: '6.00', currency: 'USD' }, clicks: 15 }),
    ]);
  });

  it('narrows to a campaign, or to an ad group (series at ad-group level)', async () => {
    const { t, rows } = await scenario();
    const c1 = (
      await get(t.owner, '/api/ads/performance?startDate=2026-03-01&endDate=2026-03-31&campaignId=C1')
    ).body;
    expect(c1.performance.map((p: Json) => p.period)).toEqual(['2026-03-02', '2026-03-09']);
    expect(c1.breakdown.byCampaign.map((c: Json) => c.campaignId)).toEqual(['C1']);
    expect(c1.performance[1].spend.amount).toBe(
      fmt(total(rows.filter((r) => r.campaignId === 'C1' && r.date === '2026-03-09')).spend),
    );
    const g = (
      await get(t.owner, '/api/ads/performance?startDate=2026-03-01&endDate=2026-03-31&adGroupId=C1-g')
    ).body;
    expect(g.seriesLevel).toBe('ad_group');
    expect(g.performance).toEqual([
      expect.objectContaining({ period: '2026-03-02', spend: { amount: '25.00', currency: 'USD' } }),
    ]);
  });

  it('gives an hourly series in tenant-local hours', async () => {
    const t = await createTenant({ timezone: 'Asia/Tokyo' });
    await seedAdTree(t.id, { campaignId: 'H1', name: 'Hourly' });
    const hours = [
      { hour: new Date('2026-03-01T15:00:00Z'), cost: '1.50', clicks: 3 }, // 00:00 on 2 March in Tokyo
      { hour: new Date('2026-03-01T16:00:00Z'), cost: '2.25', clicks: 5 },
      { hour: new Date('2026-03-01T14:00:00Z'), cost: '9.00', clicks: 9 }, // 23:00 on 1 March: outside
    ];
    await seedAdMetricsHourly(
      t.id,
      hours.map((h) => ({
        level: 'campaign' as const,
        campaignId: 'H1',
        hour: h.hour,
        cost: h.cost,
        clicks: h.clicks,
        impressions: 100,
      })),
    );
    const { res, body } = await get(
      t.owner,
      '/api/ads/performance?granularity=hour&startDate=2026-03-02&endDate=2026-03-02',
    );
    expect(res.status).toBe(200);
    expect(body.performance.map((p: Json) => [p.period, p.spend.amount, p.clicks])).toEqual([
      ['2026-03-02T00:00', '1.50', 3],
      ['2026-03-02T01:00', '2.25', 5],
    ]);
  });

  it.each([
    'startDate=2026-03-01',
    'granularity=year&startDate=2026-03-01&endDate=2026-03-31',
    'granularity=hour&startDate=2026-01-01&endDate=2026-03-31',
    'startDate=2024-01-01&endDate=2026-03-31',
  ])('400 for %s', async (q) => {
    const t = await createTenant();
    expect((await get(t.owner, `/api/ads/performance?${q}`)).res.status).toBe(400);
  });

  it('401 without a token; another tenant sees no series', async () => {
    await scenario();
    expect((await api('/api/ads/performance?startDate=2026-03-01&endDate=2026-03-31')).status).toBe(401);
    const stranger = await createTenant();
    const { body } = await get(
      stranger.owner,
      '/api/ads/performance?startDate=2026-03-01&endDate=2026-03-31',
    );
    expect(body.performance).toEqual([]);
    expect(body.breakdown.byCampaign).toEqual([]);
  });
});
