import { dailyMetrics, type MetricRow } from '../data/ads';
import type { MarketplaceInfo } from '../data/marketplaces';
import type { Seller } from '../data/seller';
import { DAY_MS, dayNumber, isoDate } from '../lib/time';

export interface AdsReportConfig {
  reportTypeId: string;
  groupBy: string[];
  columns: string[];
  timeUnit: 'DAILY' | 'SUMMARY';
}

export const REPORT_TYPES: Record<string, string[]> = {
  spCampaigns: ['campaign', 'adGroup', 'campaignPlacement'],
  spTargeting: ['targeting'],
  spSearchTerm: ['searchTerm'],
  spAdvertisedProduct: ['advertiser'],
};

type Acc = {
  key: string;
  sample: MetricRow;
  day?: number;
  impressions: number;
  clicks: number;
  cost: number;
  purchases: number;
  sales: number;
  units: number;
};

function keyOf(cfg: AdsReportConfig, r: MetricRow): string {
  const byAdGroup = cfg.groupBy.includes('adGroup') || cfg.reportTypeId !== 'spCampaigns';
  const parts = [r.campaign.campaignId];
  if (byAdGroup) parts.push(r.adGroup.adGroupId);
  if (cfg.reportTypeId === 'spTargeting' || cfg.reportTypeId === 'spSearchTerm')
    parts.push(r.keyword?.keywordId ?? 'auto');
  return parts.join(':');
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Report rows for a date range, built from the same daily metrics that tie ads to orders.
 * Amounts are in the profile's currency, as Amazon reports them.
 */
export function adsReportRows(
  seller: Seller,
  mp: MarketplaceInfo,
  cfg: AdsReportConfig,
  startDate: string,
  endDate: string,
): Record<string, unknown>[] {
  const first = Math.max(seller.startDay, dayNumber(Date.parse(`${startDate}T00:00:00Z`)));
  const last = Math.min(seller.endDay, dayNumber(Date.parse(`${endDate}T00:00:00Z`)));
  const groups = new Map<string, Acc>();
  for (let day = first; day <= last; day++) {
    for (const r of dailyMetrics(seller, mp, day)) {
      const key = `${keyOf(cfg, r)}${cfg.timeUnit === 'DAILY' ? `:${day}` : ''}`;
      const acc = groups.get(key) ?? {
        key,
        sample: r,
        ...(cfg.timeUnit === 'DAILY' ? { day } : {}),
        impressions: 0,
        clicks: 0,
        cost: 0,
        purchases: 0,
        sales: 0,
        units: 0,
      };
      acc.impressions += r.impressions;
      acc.clicks += r.clicks;
      acc.cost += r.costCents;
      acc.purchases += r.purchases7d;
      acc.sales += r.sales7dCents;
      acc.units += r.unitsSold7d;
      groups.set(key, acc);
    }
  }
  return [...groups.values()].map((a) => {
    const r = a.sample;
    const sales = a.sales / 100;
    const cost = a.cost / 100;
    const all: Record<string, unknown> = {
      date: a.day !== undefined ? isoDate(a.day) : undefined,
      startDate,
      endDate,
      campaignId: Number(r.campaign.campaignId),
      campaignName: r.campaign.name,
      campaignStatus: r.campaign.state,
      campaignBudgetAmount: r.campaign.budget,
      campaignBudgetType: 'DAILY_BUDGET',
      campaignBudgetCurrencyCode: mp.currency,
      adGroupId: Number(r.adGroup.adGroupId),
      adGroupName: r.adGroup.name,
      keywordId: r.keyword ? Number(r.keyword.keywordId) : undefined,
      keyword: r.keyword?.text,
      keywordBid: r.keyword?.bid,
      matchType: r.keyword?.matchType ?? 'TARGETING_EXPRESSION_PREDEFINED',
      keywordType: r.keyword ? r.keyword.matchType : 'TARGETING_EXPRESSION_PREDEFINED',
      targeting: r.keyword?.text ?? 'close-match',
      searchTerm: r.keyword?.text ?? 'close-match',
      adId: Number(r.adGroup.adIds[0]),
      advertisedAsin: r.adGroup.products[0]?.asin,
      advertisedSku: r.adGroup.products[0]?.sku,
      impressions: a.impressions,
      clicks: a.clicks,
      cost: round2(cost),
      spend: round2(cost),
      costPerClick: a.clicks > 0 ? round2(cost / a.clicks) : 0,
      clickThroughRate: a.impressions > 0 ? round2((a.clicks / a.impressions) * 100) : 0,
      purchases1d: Math.round(a.purchases * 0.8),
      purchases7d: a.purchases,
      purchases14d: Math.round(a.purchases * 1.04),
      purchases30d: Math.round(a.purchases * 1.07),
      sales1d: round2(sales * 0.8),
      sales7d: round2(sales),
      sales14d: round2(sales * 1.04),
      sales30d: round2(sales * 1.07),
      unitsSoldClicks1d: Math.round(a.units * 0.8),
      unitsSoldClicks7d: a.units,
      unitsSoldClicks14d: Math.round(a.units * 1.04),
      unitsSoldClicks30d: Math.round(a.units * 1.07),
      acosClicks7d: sales > 0 ? round2((cost / sales) * 100) : 0,
      roasClicks7d: cost > 0 ? round2(sales / cost) : 0,
    };
    const row: Record<string, unknown> = {};
    for (const col of cfg.columns) row[col] = all[col] ?? null;
    return row;
  });
}

export const dayMsOf = (day: number) => day * DAY_MS;
