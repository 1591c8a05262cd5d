import { describe, expect, it } from 'vitest';
import {
  adGroupRow,
  adState,
  campaignRow,
  keywordRow,
  METRIC_REPORTS,
  metricRow,
  productAdRow,
} from '../../src/services/sync/ads/ads-map';

const scope = { tenantId: 'tenant-1', profileId: '1001', currency: 'USD' };
const report = (level: string) => METRIC_REPORTS.find((r) => r.level === level)!;

describe('ads mapping', () => {
  it('stores Ads API states lower case; anything unknown is archived', () => {
    expect(['ENABLED', 'PAUSED', 'ARCHIVED', 'PROPOSED', undefined].map(adState)).toEqual([
      'enabled',
      'paused',
      'archived',
      'archived',
      'archived',
    ]);
  });

  it('maps campaigns, ad groups, keywords and product ads with budgets at 2 and bids at 4 decimals', () => {
    expect(
      campaignRow(scope, {
        campaignId: '77',
        name: 'Brand',
        state: 'ENABLED',
        targetingType: 'MANUAL',
        budget: { budget: 12.345 },
        startDate: '2026-01-01',
      }),
    ).toEqual({
      tenantId: 'tenant-1',
      profileId: '1001',
      campaignId: '77',
      name: 'Brand',
      campaignType: 'SP',
      targetingType: 'manual',
      state: 'enabled',
      dailyBudget: '12.35',
      currency: 'USD',
      startDate: '2026-01-01',
      endDate: null,
    });
    expect(
      adGroupRow('tenant-1', {
        adGroupId: '8',
        campaignId: '77',
        name: 'G',
        state: 'PAUSED',
        defaultBid: 0.75,
      }),
    ).toMatchObject({
      state: 'paused',
      defaultBid: '0.7500',
    });
    const kw = {
      keywordId: '9',
      campaignId: '77',
      keywordText: 'leash',
      matchType: 'EXACT',
      state: 'ENABLED',
      bid: 1.2,
    };
    expect(keywordRow('tenant-1', kw, true)).toMatchObject({
      adGroupId: null,
      matchType: 'exact',
      bid: '1.2000',
      isNegative: true,
    });
    expect(
      productAdRow('tenant-1', { adId: '5', campaignId: '77', adGroupId: '8', state: 'ENABLED' }),
    ).toMatchObject({
      adId: '5',
      asin: null,
      sku: null,
      state: 'enabled',
    });
  });

  it('keys a metrics row by the entity of its level and drops rows without entity, campaign or date', () => {
    const r = {
      date: '2026-03-01',
      campaignId: 77,
      adGroupId: 8,
      keywordId: 9,
      adId: 5,
      advertisedAsin: 'B0TEST0001',
      impressions: 1000,
      clicks: 25,
      cost: 12.345,
      sales7d: '99.999',
      purchases7d: 4,
      unitsSoldClicks7d: 5,
    };
    expect(metricRow(scope, report('campaign'), r)?.entityId).toBe('77');
    expect(metricRow(scope, report('keyword'), r)?.entityId).toBe('9');
    expect(metricRow(scope, report('product'), r)).toEqual({
      tenantId: 'tenant-1',
      profileId: '1001',
      level: 'product',
      entityId: '5',
      campaignId: '77',
      adGroupId: '8',
      keywordId: '9',
      adId: '5',
      asin: 'B0TEST0001',
      impressions: r.impressions,
      clicks: r.clicks,
      cost: '12.35',
      sales7d: '100.00',
      orders7d: r.purchases7d,
      units7d: r.unitsSoldClicks7d,
      currency: 'USD',
      date: r.date,
    });
    expect(metricRow(scope, report('campaign'), { date: '2026-03-01' })).toBeNull();
    expect(metricRow(scope, report('keyword'), { campaignId: 77, date: '2026-03-01' })).toBeNull();
    const empty = metricRow(scope, report('campaign'), { campaignId: 77, date: '2026-03-01' });
    expect(empty).toMatchObject({
      impressions: 0,
      clicks: 0,
      cost: '0',
      sales7d: '0',
      orders7d: 0,
      units7d: 0,
    });
  });
});
