import { and, eq } from 'drizzle-orm';
import type { AdsAdGroup, AdsApiClient, AdsCampaign, AdsKeyword, AdsProductAd } from '../../amazon/ads-api';
import {
  adCampaigns,
  adGroups,
  adKeywords,
  adMetricsDaily,
  adProductAds,
  adProfiles,
  type NewAdMetricDaily,
} from '../../db/schema';
import type { AD_STATES } from '../../db/schema/ads';
import { dedupeBy, upsertRows } from '../../db/upsert';
import { fromUnits, toUnits } from '../../lib/money';
import type { SyncContext, SyncOutcome } from './context';

type AdState = (typeof AD_STATES)[number];

/** Ads API states are upper case (ENABLED); ours are lower case. */
export function adState(state: string | undefined): AdState {
  const s = (state ?? '').toLowerCase();
  return s === 'enabled' || s === 'paused' ? s : 'archived';
}

const money = (v: unknown) =>
  v === undefined || v === null ? null : fromUnits(toUnits(v as number | string), 2);
const bid = (v: unknown) =>
  v === undefined || v === null ? null : fromUnits(toUnits(v as number | string), 4);
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

const METRIC_COLUMNS = ['impressions', 'clicks', 'cost', 'sales7d', 'purchases7d', 'unitsSoldClicks7d'];

/** Stores the profiles of a connected Ads account (the user then selects which to sync). */
export async function storeProfiles(
  ctx: Pick<SyncContext, 'db' | 'tenantId'>,
  ads: AdsApiClient,
): Promise<number> {
  const profiles = await ads.profiles();
  await upsertRows(
    ctx.db,
    adProfiles,
    profiles.map((p) => ({
      tenantId: ctx.tenantId,
      profileId: String(p.profileId),
      marketplaceId: p.accountInfo?.marketplaceStringId ?? null,
      countryCode: p.countryCode ?? null,
      currency: p.currencyCode ?? null,
      timezone: p.timezone ?? null,
      accountName: p.accountInfo?.name ?? null,
    })),
    {
      target: [adProfiles.tenantId, adProfiles.profileId],
      update: ['marketplaceId', 'countryCode', 'currency', 'timezone', 'accountName'],
    },
  );
  return profiles.length;
}

export async function syncAds(ctx: SyncContext, ads: AdsApiClient): Promise<SyncOutcome> {
  const selected = await ctx.db
    .select()
    .from(adProfiles)
    .where(and(eq(adProfiles.tenantId, ctx.tenantId), eq(adProfiles.isSelected, true)));
  if (selected.length === 0) return { records: 0, errors: 0, warnings: ['No Ads profile selected'] };
  const end = ctx.job.rangeEnd ?? new Date(Date.now() - 86_400_000);
  const start = ctx.job.rangeStart ?? new Date(end.getTime() - 6 * 86_400_000);
  let records = 0;
  let done = 0;
  for (const profile of selected) {
    const pid = profile.profileId;
    const [campaigns, groups, keywords, negatives, productAds] = await Promise.all([
      ads.list<'campaigns', AdsCampaign>(pid, 'campaigns'),
      ads.list<'adGroups', AdsAdGroup>(pid, 'adGroups'),
      ads.list<'keywords', AdsKeyword>(pid, 'keywords'),
      ads.list<'negativeKeywords', AdsKeyword>(pid, 'negativeKeywords'),
      ads.list<'productAds', AdsProductAd>(pid, 'productAds'),
    ]);
    const t = ctx.tenantId;
    records += await upsertRows(
      ctx.db,
      adCampaigns,
      campaigns.map((c) => ({
        tenantId: t,
        profileId: pid,
        campaignId: String(c.campaignId),
        name: c.name,
        campaignType: 'SP' as const,
        targetingType: c.targetingType?.toLowerCase() ?? null,
        state: adState(c.state),
        dailyBudget: money(c.budget?.budget),
        currency: profile.currency,
        startDate: c.startDate ?? null,
        endDate: c.endDate ?? null,
      })),
      {
        target: [adCampaigns.tenantId, adCampaigns.campaignId],
        update: [
          'profileId',
          'name',
          'targetingType',
          'state',
          'dailyBudget',
          'currency',
          'startDate',
          'endDate',
        ],
      },
    );
    records += await upsertRows(
      ctx.db,
      adGroups,
      groups.map((g) => ({
        tenantId: t,
        campaignId: String(g.campaignId),
        adGroupId: String(g.adGroupId),
        name: g.name,
        state: adState(g.state),
        defaultBid: bid(g.defaultBid),
      })),
      {
        target: [adGroups.tenantId, adGroups.adGroupId],
        update: ['campaignId', 'name', 'state', 'defaultBid'],
      },
    );
    const kw = [
      ...keywords.map((k) => ({ k, negative: false })),
      ...negatives.map((k) => ({ k, negative: true })),
    ];
    records += await upsertRows(
      ctx.db,
      adKeywords,
      dedupeBy(
        kw.map(({ k, negative }) => ({
          tenantId: t,
          campaignId: String(k.campaignId),
          adGroupId: k.adGroupId ? String(k.adGroupId) : null,
          keywordId: String(k.keywordId),
          keywordText: k.keywordText,
          matchType: k.matchType?.toLowerCase() ?? null,
          state: adState(k.state),
          bid: bid(k.bid),
          isNegative: negative,
        })),
        (r) => r.keywordId,
      ),
      {
        target: [adKeywords.tenantId, adKeywords.keywordId],
        update: ['campaignId', 'adGroupId', 'keywordText', 'matchType', 'state', 'bid', 'isNegative'],
      },
    );
    records += await upsertRows(
      ctx.db,
      adProductAds,
      productAds.map((a) => ({
        tenantId: t,
        campaignId: String(a.campaignId),
        adGroupId: String(a.adGroupId),
        adId: String(a.adId),
        asin: a.asin ?? null,
        sku: a.sku ?? null,
        state: adState(a.state),
      })),
      {
        target: [adProductAds.tenantId, adProductAds.adId],
        update: ['campaignId', 'adGroupId', 'asin', 'sku', 'state'],
      },
    );
    records += await syncMetrics(ctx, ads, pid, profile.currency, start, end);
    await ctx.progress((++done / selected.length) * 95, records);
  }
  return { records, errors: 0, warnings: [] };
}

/** Daily metrics at campaign, keyword and product level from reporting v3. */
async function syncMetrics(
  ctx: SyncContext,
  ads: AdsApiClient,
  profileId: string,
  currency: string | null,
  start: Date,
  end: Date,
): Promise<number> {
  const range = { startDate: isoDay(start), endDate: isoDay(end) };
  const specs: {
    level: NewAdMetricDaily['level'];
    reportTypeId: string;
    groupBy: string[];
    extra: string[];
  }[] = [
    { level: 'campaign', reportTypeId: 'spCampaigns', groupBy: ['campaign'], extra: ['campaignId'] },
    {
      level: 'keyword',
      reportTypeId: 'spTargeting',
      groupBy: ['targeting'],
      extra: ['campaignId', 'adGroupId', 'keywordId'],
    },
    {
      level: 'product',
      reportTypeId: 'spAdvertisedProduct',
      groupBy: ['advertiser'],
      extra: ['campaignId', 'adGroupId', 'adId', 'advertisedAsin'],
    },
  ];
  let written = 0;
  for (const spec of specs) {
    const rows = await ads.report(
      profileId,
      {
        name: `${spec.reportTypeId} ${range.startDate}..${range.endDate}`,
        ...range,
        configuration: {
          adProduct: 'SPONSORED_PRODUCTS',
          reportTypeId: spec.reportTypeId,
          groupBy: spec.groupBy,
          columns: ['date', ...spec.extra, ...METRIC_COLUMNS],
          timeUnit: 'DAILY',
          format: 'GZIP_JSON',
        },
      },
      ctx.tuning.poll,
    );
    const values: NewAdMetricDaily[] = [];
    for (const r of rows) {
      const str = (k: string) => (r[k] === undefined || r[k] === null ? null : String(r[k]));
      const entityId =
        spec.level === 'campaign'
          ? str('campaignId')
          : spec.level === 'keyword'
            ? str('keywordId')
            : str('adId');
      if (!entityId || !str('campaignId') || !str('date')) continue;
      values.push({
        tenantId: ctx.tenantId,
        profileId,
        level: spec.level,
        entityId,
        campaignId: str('campaignId')!,
        adGroupId: str('adGroupId'),
        keywordId: str('keywordId'),
        adId: str('adId'),
        asin: str('advertisedAsin'),
        impressions: Number(r.impressions ?? 0),
        clicks: Number(r.clicks ?? 0),
        cost: money(r.cost) ?? '0',
        sales7d: money(r.sales7d) ?? '0',
        orders7d: Number(r.purchases7d ?? 0),
        units7d: Number(r.unitsSoldClicks7d ?? 0),
        currency,
        date: str('date')!,
      });
    }
    written += await upsertRows(
      ctx.db,
      adMetricsDaily,
      dedupeBy(values, (v) => `${v.level}:${v.entityId}:${v.date}`),
      {
        target: [adMetricsDaily.tenantId, adMetricsDaily.level, adMetricsDaily.entityId, adMetricsDaily.date],
        update: [
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
        ],
      },
    );
  }
  return written;
}
