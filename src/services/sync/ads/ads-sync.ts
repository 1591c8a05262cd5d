import { and, eq } from 'drizzle-orm';
import type {
  AdsAdGroup,
  AdsApiClient,
  AdsCampaign,
  AdsKeyword,
  AdsProductAd,
} from '../../../amazon/ads-api';
import type { Database } from '../../../db/client';
import {
  adCampaigns,
  adGroups,
  adKeywords,
  adMetricsDaily,
  adProductAds,
  adProfiles,
} from '../../../db/schema';
import { dedupeBy, upsertRows } from '../../../db/upsert';
import type { TenantInfo } from '../../context';
import type { AdsSyncContext, SyncOutcome } from '../engine/context';
import {
  adGroupRow,
  campaignRow,
  keywordRow,
  METRIC_COLUMNS,
  METRIC_REPORTS,
  type MetricReport,
  metricRow,
  type ProfileScope,
  productAdRow,
  profileRow,
} from './ads-map';

const DAY_MS = 86_400_000;

const CAMPAIGN_UPDATE = [
  'profileId',
  'name',
  'targetingType',
  'state',
  'dailyBudget',
  'currency',
  'startDate',
  'endDate',
] as const;
const KEYWORD_UPDATE = [
  'campaignId',
  'adGroupId',
  'keywordText',
  'matchType',
  'state',
  'bid',
  'isNegative',
] as const;
const METRICS_UPDATE = [
  'profileId',
  'campaignId',
  'adGroupId',
  'keywordId',
  'adId',
  'asin',
  'impressions',
  'clicks',
  'cost',
  'sales7d',
  'orders7d',
  'units7d',
  'currency',
] as const;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Stores the profiles of a connected Ads account (the user then selects which to sync). */
export async function storeProfiles(
  ctx: { db: Database; tenant: Pick<TenantInfo, 'id'> },
  ads: AdsApiClient,
): Promise<number> {
  const profiles = await ads.profiles();
  await upsertRows(
    ctx.db,
    adProfiles,
    profiles.map((p) => profileRow(ctx.tenant.id, p)),
    {
      target: [adProfiles.tenantId, adProfiles.profileId],
      update: ['marketplaceId', 'countryCode', 'currency', 'timezone', 'accountName'],
    },
  );
  return profiles.length;
}

export async function syncAds(ctx: AdsSyncContext): Promise<SyncOutcome> {
  const selected = await ctx.db
    .select({ profileId: adProfiles.profileId, currency: adProfiles.currency })
    .from(adProfiles)
    .where(and(eq(adProfiles.tenantId, ctx.tenant.id), eq(adProfiles.isSelected, true)));
  if (selected.length === 0) return { records: 0, errors: 0, warnings: ['No Ads profile selected'] };
  const { job } = ctx.run;
  const end = job.rangeEnd ?? new Date(Date.now() - DAY_MS);
  const start = job.rangeStart ?? new Date(end.getTime() - 6 * DAY_MS);
  let records = 0;
  let done = 0;
  for (const profile of selected) {
    const scope = { tenantId: ctx.tenant.id, profileId: profile.profileId, currency: profile.currency };
    records += await syncEntities(ctx, scope);
    for (const report of METRIC_REPORTS) records += await syncMetrics(ctx, scope, report, { start, end });
    await ctx.run.progress((++done / selected.length) * 95, records);
  }
  return { records, errors: 0, warnings: [] };
}

/** Sponsored Products campaigns, ad groups, keywords (and negatives) and product ads of a profile. */
async function syncEntities(ctx: AdsSyncContext, scope: ProfileScope): Promise<number> {
  const { ads, db } = ctx;
  const { profileId: pid, tenantId: t } = scope;
  const [campaigns, groups, keywords, negatives, productAds] = await Promise.all([
    ads.list<'campaigns', AdsCampaign>(pid, 'campaigns'),
    ads.list<'adGroups', AdsAdGroup>(pid, 'adGroups'),
    ads.list<'keywords', AdsKeyword>(pid, 'keywords'),
    ads.list<'negativeKeywords', AdsKeyword>(pid, 'negativeKeywords'),
    ads.list<'productAds', AdsProductAd>(pid, 'productAds'),
  ]);
  const keywordRows = [
    ...keywords.map((k) => keywordRow(t, k, false)),
    ...negatives.map((k) => keywordRow(t, k, true)),
  ];
  let written = await upsertRows(
    db,
    adCampaigns,
    campaigns.map((c) => campaignRow(scope, c)),
    { target: [adCampaigns.tenantId, adCampaigns.campaignId], update: CAMPAIGN_UPDATE },
  );
  written += await upsertRows(
    db,
    adGroups,
    groups.map((g) => adGroupRow(t, g)),
    {
      target: [adGroups.tenantId, adGroups.adGroupId],
      update: ['campaignId', 'name', 'state', 'defaultBid'],
    },
  );
  written += await upsertRows(
    db,
    adKeywords,
    dedupeBy(keywordRows, (r) => r.keywordId),
    { target: [adKeywords.tenantId, adKeywords.keywordId], update: KEYWORD_UPDATE },
  );
  written += await upsertRows(
    db,
    adProductAds,
    productAds.map((a) => productAdRow(t, a)),
    {
      target: [adProductAds.tenantId, adProductAds.adId],
      update: ['campaignId', 'adGroupId', 'asin', 'sku', 'state'],
    },
  );
  return written;
}

/** Daily metrics of one level (campaign, keyword or product) from reporting v3. */
async function syncMetrics(
  ctx: AdsSyncContext,
  scope: ProfileScope,
  report: MetricReport,
  range: { start: Date; end: Date },
): Promise<number> {
  const days = { startDate: isoDay(range.start), endDate: isoDay(range.end) };
  const rows = await ctx.ads.report(
    scope.profileId,
    {
      name: `${report.reportTypeId} ${days.startDate}..${days.endDate}`,
      ...days,
      configuration: {
        adProduct: 'SPONSORED_PRODUCTS',
        reportTypeId: report.reportTypeId,
        groupBy: report.groupBy,
        columns: ['date', ...report.ids, ...METRIC_COLUMNS],
        timeUnit: 'DAILY',
        format: 'GZIP_JSON',
      },
    },
    ctx.tuning.poll,
  );
  const values = rows.flatMap((r) => metricRow(scope, report, r) ?? []);
  return upsertRows(
    ctx.db,
    adMetricsDaily,
    dedupeBy(values, (v) => `${v.level}:${v.entityId}:${v.date}`),
    {
      target: [adMetricsDaily.tenantId, adMetricsDaily.level, adMetricsDaily.entityId, adMetricsDaily.date],
      update: METRICS_UPDATE,
    },
  );
}
