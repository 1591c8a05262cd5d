// Amazon Ads: profiles, the campaign tree, and metrics. Ids are Amazon's (text); no FKs between ad
// entities because reports and list calls arrive in any order.
import { sql } from 'drizzle-orm';
import { bigint, boolean, date, index, integer, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, currency, id, money, oneOf, tenantId, tstz, unitMoney, updatedAt } from './_columns';

export const CAMPAIGN_TYPES = ['SP', 'SB', 'SD'] as const;
export const AD_STATES = ['enabled', 'paused', 'archived'] as const;
export const AD_METRIC_LEVELS = ['campaign', 'ad_group', 'keyword', 'product'] as const;

export const adProfiles = pgTable(
  'ad_profiles',
  {
    id: id(),
    tenantId: tenantId(),
    profileId: text('profile_id').notNull(),
    marketplaceId: text('marketplace_id'),
    countryCode: text('country_code'),
    currency: currency(),
    timezone: text('timezone'),
    accountName: text('account_name'),
    // Profiles the user chose to sync.
    isSelected: boolean('is_selected').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('ad_profiles_tenant_profile_uq').on(t.tenantId, t.profileId)],
);

export const adCampaigns = pgTable(
  'ad_campaigns',
  {
    id: id(),
    tenantId: tenantId(),
    profileId: text('profile_id').notNull(),
    campaignId: text('campaign_id').notNull(),
    name: text('name').notNull(),
    campaignType: text('campaign_type', { enum: CAMPAIGN_TYPES }).notNull(),
    targetingType: text('targeting_type'),
    state: text('state', { enum: AD_STATES }).notNull(),
    dailyBudget: money('daily_budget'),
    currency: currency(),
    startDate: date('start_date', { mode: 'string' }),
    endDate: date('end_date', { mode: 'string' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('ad_campaigns_tenant_campaign_uq').on(t.tenantId, t.campaignId),
    index('ad_campaigns_tenant_profile_idx').on(t.tenantId, t.profileId),
    oneOf('ad_campaigns_type_check', t.campaignType, CAMPAIGN_TYPES),
    oneOf('ad_campaigns_state_check', t.state, AD_STATES),
  ],
);

export const adGroups = pgTable(
  'ad_groups',
  {
    id: id(),
    tenantId: tenantId(),
    campaignId: text('campaign_id').notNull(),
    adGroupId: text('ad_group_id').notNull(),
    name: text('name').notNull(),
    state: text('state', { enum: AD_STATES }).notNull(),
    defaultBid: unitMoney('default_bid'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('ad_groups_tenant_ad_group_uq').on(t.tenantId, t.adGroupId),
    index('ad_groups_tenant_campaign_idx').on(t.tenantId, t.campaignId),
    oneOf('ad_groups_state_check', t.state, AD_STATES),
  ],
);

export const adKeywords = pgTable(
  'ad_keywords',
  {
    id: id(),
    tenantId: tenantId(),
    campaignId: text('campaign_id').notNull(),
    adGroupId: text('ad_group_id'),
    keywordId: text('keyword_id').notNull(),
    keywordText: text('keyword_text').notNull(),
    matchType: text('match_type'),
    state: text('state', { enum: AD_STATES }).notNull(),
    bid: unitMoney('bid'),
    isNegative: boolean('is_negative').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('ad_keywords_tenant_keyword_uq').on(t.tenantId, t.keywordId),
    index('ad_keywords_tenant_ad_group_idx').on(t.tenantId, t.adGroupId),
    oneOf('ad_keywords_state_check', t.state, AD_STATES),
  ],
);

export const adProductAds = pgTable(
  'ad_product_ads',
  {
    id: id(),
    tenantId: tenantId(),
    campaignId: text('campaign_id').notNull(),
    adGroupId: text('ad_group_id').notNull(),
    adId: text('ad_id').notNull(),
    asin: text('asin'),
    sku: text('sku'),
    state: text('state', { enum: AD_STATES }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('ad_product_ads_tenant_ad_uq').on(t.tenantId, t.adId),
    index('ad_product_ads_tenant_asin_idx').on(t.tenantId, t.asin),
    oneOf('ad_product_ads_state_check', t.state, AD_STATES),
  ],
);

/** Columns shared by the daily and hourly metric tables. */
const metricColumns = () => ({
  id: id(),
  tenantId: tenantId(),
  profileId: text('profile_id').notNull(),
  level: text('level', { enum: AD_METRIC_LEVELS }).notNull(),
  // The id of the row's entity at its level: campaign id, ad group id, keyword id, or for level
  // 'product' the product ad id (ad_id; one ASIN can be advertised in many ad groups and
  // marketplaces, so the ASIN alone would merge rows). Non-null so (tenant, level, entity, time)
  // is a plain unique key for idempotent upserts.
  entityId: text('entity_id').notNull(),
  campaignId: text('campaign_id').notNull(),
  adGroupId: text('ad_group_id'),
  keywordId: text('keyword_id'),
  adId: text('ad_id'),
  asin: text('asin'),
  impressions: bigint('impressions', { mode: 'number' }).notNull().default(0),
  clicks: integer('clicks').notNull().default(0),
  cost: money('cost').notNull().default('0'),
  // Attributed within 7 days of the click (reporting v3 sales7d / purchases7d / unitsSoldClicks7d).
  sales7d: money('sales_7d').notNull().default('0'),
  orders7d: integer('orders_7d').notNull().default(0),
  units7d: integer('units_7d').notNull().default(0),
  currency: currency(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const adMetricsDaily = pgTable(
  'ad_metrics_daily',
  {
    ...metricColumns(),
    date: date('date', { mode: 'string' }).notNull(),
  },
  (t) => [
    unique('ad_metrics_daily_tenant_level_entity_date_uq').on(t.tenantId, t.level, t.entityId, t.date),
    index('ad_metrics_daily_tenant_date_idx').on(t.tenantId, t.date),
    index('ad_metrics_daily_tenant_campaign_date_idx').on(t.tenantId, t.campaignId, t.date),
    index('ad_metrics_daily_tenant_asin_date_idx')
      .on(t.tenantId, t.asin, t.date)
      .where(sql`${t.asin} IS NOT NULL`),
    oneOf('ad_metrics_daily_level_check', t.level, AD_METRIC_LEVELS),
  ],
);

/** Hourly metrics (from Amazon Marketing Stream or hourly reports) for granularity=hour. */
export const adMetricsHourly = pgTable(
  'ad_metrics_hourly',
  {
    ...metricColumns(),
    // Start of the hour, UTC instant.
    hour: tstz('hour').notNull(),
  },
  (t) => [
    unique('ad_metrics_hourly_tenant_level_entity_hour_uq').on(t.tenantId, t.level, t.entityId, t.hour),
    index('ad_metrics_hourly_tenant_hour_idx').on(t.tenantId, t.hour),
    oneOf('ad_metrics_hourly_level_check', t.level, AD_METRIC_LEVELS),
  ],
);

export type AdProfile = typeof adProfiles.$inferSelect;
export type AdCampaign = typeof adCampaigns.$inferSelect;
export type NewAdCampaign = typeof adCampaigns.$inferInsert;
export type AdGroup = typeof adGroups.$inferSelect;
export type AdKeyword = typeof adKeywords.$inferSelect;
export type AdProductAd = typeof adProductAds.$inferSelect;
export type AdMetricDaily = typeof adMetricsDaily.$inferSelect;
export type NewAdMetricDaily = typeof adMetricsDaily.$inferInsert;
export type AdMetricHourly = typeof adMetricsHourly.$inferSelect;
