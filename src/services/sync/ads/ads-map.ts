import type { AdsAdGroup, AdsCampaign, AdsKeyword, AdsProductAd, AdsProfile } from '../../../amazon/ads-api';
import type {
  adGroups,
  adKeywords,
  adProductAds,
  adProfiles,
  NewAdCampaign,
  NewAdMetricDaily,
} from '../../../db/schema';
import type { AD_STATES } from '../../../db/schema/ads';
import { decimal } from '../../../lib/money';

type AdState = (typeof AD_STATES)[number];

/** Ads API states are upper case (ENABLED); ours are lower case. */
export function adState(state: string | undefined): AdState {
  const s = (state ?? '').toLowerCase();
  return s === 'enabled' || s === 'paused' ? s : 'archived';
}

/** A number or decimal string from the Ads API at `places` decimals; null when absent. */
function amount(v: unknown, places: number): string | null {
  return typeof v === 'number' || typeof v === 'string' ? decimal(v, places) : null;
}

export function profileRow(tenantId: string, p: AdsProfile): typeof adProfiles.$inferInsert {
  return {
    tenantId,
    profileId: String(p.profileId),
    marketplaceId: p.accountInfo?.marketplaceStringId ?? null,
    countryCode: p.countryCode ?? null,
    currency: p.currencyCode ?? null,
    timezone: p.timezone ?? null,
    accountName: p.accountInfo?.name ?? null,
  };
}

export interface ProfileScope {
  tenantId: string;
  profileId: string;
  /** The profile's currency: budgets and metrics are in it. */
  currency: string | null;
}

export function campaignRow(scope: ProfileScope, c: AdsCampaign): NewAdCampaign {
  return {
    tenantId: scope.tenantId,
    profileId: scope.profileId,
    campaignId: String(c.campaignId),
    name: c.name,
    campaignType: 'SP',
    targetingType: c.targetingType?.toLowerCase() ?? null,
    state: adState(c.state),
    dailyBudget: amount(c.budget?.budget, 2),
    currency: scope.currency,
    startDate: c.startDate ?? null,
    endDate: c.endDate ?? null,
  };
}

export function adGroupRow(tenantId: string, g: AdsAdGroup): typeof adGroups.$inferInsert {
  return {
    tenantId,
    campaignId: String(g.campaignId),
    adGroupId: String(g.adGroupId),
    name: g.name,
    state: adState(g.state),
    defaultBid: amount(g.defaultBid, 4),
  };
}

export function keywordRow(
  tenantId: string,
  k: AdsKeyword,
  negative: boolean,
): typeof adKeywords.$inferInsert {
  return {
    tenantId,
    campaignId: String(k.campaignId),
    adGroupId: k.adGroupId ? String(k.adGroupId) : null,
    keywordId: String(k.keywordId),
    keywordText: k.keywordText,
    matchType: k.matchType?.toLowerCase() ?? null,
    state: adState(k.state),
    bid: amount(k.bid, 4),
    isNegative: negative,
  };
}

export function productAdRow(tenantId: string, a: AdsProductAd): typeof adProductAds.$inferInsert {
  return {
    tenantId,
    campaignId: String(a.campaignId),
    adGroupId: String(a.adGroupId),
    adId: String(a.adId),
    asin: a.asin ?? null,
    sku: a.sku ?? null,
    state: adState(a.state),
  };
}

/** One reporting v3 report per metrics level, with the id columns that level needs. */
export interface MetricReport {
  level: NewAdMetricDaily['level'];
  reportTypeId: string;
  groupBy: string[];
  /** The column that names the row's entity at this level. */
  entityColumn: string;
  ids: string[];
}

export const METRIC_REPORTS: MetricReport[] = [
  {
    level: 'campaign',
    reportTypeId: 'spCampaigns',
    groupBy: ['campaign'],
    entityColumn: 'campaignId',
    ids: ['campaignId'],
  },
  {
    level: 'keyword',
    reportTypeId: 'spTargeting',
    groupBy: ['targeting'],
    entityColumn: 'keywordId',
    ids: ['campaignId', 'adGroupId', 'keywordId'],
  },
  {
    level: 'product',
    reportTypeId: 'spAdvertisedProduct',
    groupBy: ['advertiser'],
    entityColumn: 'adId',
    ids: ['campaignId', 'adGroupId', 'adId', 'advertisedAsin'],
  },
];

export const METRIC_COLUMNS = [
  'impressions',
  'clicks',
  'cost',
  'sales7d',
  'purchases7d',
  'unitsSoldClicks7d',
];

/** A report row's daily metrics; null when it lacks its entity, campaign or date. */
export function metricRow(
  scope: ProfileScope,
  report: Pick<MetricReport, 'level' | 'entityColumn'>,
  r: Record<string, unknown>,
): NewAdMetricDaily | null {
  const str = (k: string) => (r[k] === undefined || r[k] === null ? null : String(r[k]));
  const entityId = str(report.entityColumn);
  const campaignId = str('campaignId');
  const date = str('date');
  if (!entityId || !campaignId || !date) return null;
  return {
    tenantId: scope.tenantId,
    profileId: scope.profileId,
    level: report.level,
    entityId,
    campaignId,
    adGroupId: str('adGroupId'),
    keywordId: str('keywordId'),
    adId: str('adId'),
    asin: str('advertisedAsin'),
    impressions: Number(r.impressions ?? 0),
    clicks: Number(r.clicks ?? 0),
    cost: amount(r.cost, 2) ?? '0',
    sales7d: amount(r.sales7d, 2) ?? '0',
    orders7d: Number(r.purchases7d ?? 0),
    units7d: Number(r.unitsSoldClicks7d ?? 0),
    currency: scope.currency,
    date,
  };
}
