import { type SQL, sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { localDayWindow } from '../../db/local-days';
import { adCampaigns, adGroups, adKeywords, adMetricsDaily, adMetricsHourly } from '../../db/schema';
import { assertRange, type DayRange } from '../../lib/dates';
import type { TenantContext } from '../context';
import { type AdMetricSums, type AdMetricsTable, adMetrics, adSums } from './metrics';

/** Hourly series are limited to a month of hours. */
export const MAX_HOURLY_DAYS = 31;
const BREAKDOWN_LIMIT = 50;

export interface PerformanceInput extends DayRange {
  granularity: 'hour' | 'day' | 'week' | 'month';
  campaignId?: string;
  adGroupId?: string;
  currency?: string;
}

type PerformanceContext = Pick<TenantContext, 'db' | 'tenant'>;

/** The request after defaults: the currency to report and the level the series reads. */
interface Selection extends PerformanceInput {
  currency: string;
  seriesLevel: 'ad_group' | 'campaign';
}

type BucketRow = AdMetricSums & {
  bucket: string;
};
type NamedRow = AdMetricSums & {
  id: string;
  name: string | null;
};
type AdGroupRow = NamedRow & {
  campaign_id: string;
};
type KeywordRow = AdMetricSums & {
  id: string;
  ad_group_id: string | null;
  text: string | null;
  match_type: string | null;
};
type ProductRow = AdMetricSums & {
  id: string | null;
};

const daily = adMetricsDaily;

/**
 * Time series at the finest level the filters name (ad group when adGroupId is given, else
 * campaign: the levels are not summed together, which would count spend twice), and breakdowns by
 * campaign, ad group, keyword and product over the same days.
 */
export async function adPerformance(ctx: PerformanceContext, input: PerformanceInput) {
  assertRange(input, input.granularity === 'hour' ? MAX_HOURLY_DAYS : undefined);
  const selection: Selection = {
    ...input,
    currency: input.currency ?? ctx.tenant.currency,
    seriesLevel: input.adGroupId ? 'ad_group' : 'campaign',
  };
  const [series, breakdown] = await Promise.all([
    queryRows<BucketRow>(ctx.db, seriesQuery(ctx, selection)),
    breakdowns(ctx, selection),
  ]);
  return {
    currency: selection.currency,
    granularity: input.granularity,
    seriesLevel: selection.seriesLevel,
    performance: series.map((r) => ({ period: r.bucket, ...adMetrics(r, selection.currency) })),
    breakdown,
  };
}

/** Tenant, currency and the campaign / ad group filters on a metrics table. */
function metricFilter(ctx: PerformanceContext, input: Selection, table: AdMetricsTable): SQL[] {
  const where = [
    sql`${table.tenantId} = ${ctx.tenant.id}`,
    sql`trim(coalesce(${table.currency}, ${ctx.tenant.currency})) = ${input.currency}`,
  ];
  if (input.campaignId) where.push(sql`${table.campaignId} = ${input.campaignId}`);
  if (input.adGroupId) where.push(sql`${table.adGroupId} = ${input.adGroupId}`);
  return where;
}

/** Daily rows of one level over the requested days. */
function dailyRows(ctx: PerformanceContext, input: Selection, level: string): SQL {
  return sql.join(
    [
      ...metricFilter(ctx, input, daily),
      sql`${daily.level} = ${level}`,
      sql`${daily.date} BETWEEN ${input.start}::date AND ${input.end}::date`,
    ],
    sql` AND `,
  );
}

function seriesQuery(ctx: PerformanceContext, input: Selection): SQL {
  if (input.granularity === 'hour') {
    const hourly = adMetricsHourly;
    const tz = ctx.tenant.timezone;
    const where = [
      ...metricFilter(ctx, input, hourly),
      sql`${hourly.level} = ${input.seriesLevel}`,
      localDayWindow(sql`${hourly.hour}`, tz, input.start, input.end),
    ];
    return sql`SELECT to_char(date_trunc('hour', ${hourly.hour} AT TIME ZONE ${tz}), 'YYYY-MM-DD"T"HH24:00') AS bucket,
                      ${adSums(hourly)}
               FROM ${hourly} WHERE ${sql.join(where, sql` AND `)} GROUP BY 1 ORDER BY 1`;
  }
  const unit = sql.raw(`'${input.granularity}'`);
  return sql`SELECT to_char(date_trunc(${unit}, ${daily.date})::date, 'YYYY-MM-DD') AS bucket, ${adSums(daily)}
             FROM ${daily} WHERE ${dailyRows(ctx, input, input.seriesLevel)} GROUP BY 1 ORDER BY 1`;
}

async function breakdowns(ctx: PerformanceContext, input: Selection) {
  const top = sql`ORDER BY sum(${daily.cost}) DESC, 1 LIMIT ${sql.raw(String(BREAKDOWN_LIMIT))}`;
  const tenantId = ctx.tenant.id;
  const [byCampaign, byAdGroup, byKeyword, byProduct] = await Promise.all([
    queryRows<NamedRow>(
      ctx.db,
      sql`SELECT ${daily.campaignId} AS id,
                 (SELECT ${adCampaigns.name} FROM ${adCampaigns} WHERE ${adCampaigns.tenantId} = ${tenantId}
                    AND ${adCampaigns.campaignId} = ${daily.campaignId}) AS name,
                 ${adSums(daily)}
          FROM ${daily} WHERE ${dailyRows(ctx, input, 'campaign')} GROUP BY 1 ${top}`,
    ),
    queryRows<AdGroupRow>(
      ctx.db,
      sql`SELECT ${daily.adGroupId} AS id, min(${daily.campaignId}) AS campaign_id,
                 (SELECT ${adGroups.name} FROM ${adGroups} WHERE ${adGroups.tenantId} = ${tenantId}
                    AND ${adGroups.adGroupId} = ${daily.adGroupId}) AS name,
                 ${adSums(daily)}
          FROM ${daily} WHERE ${dailyRows(ctx, input, 'ad_group')} GROUP BY 1 ${top}`,
    ),
    queryRows<KeywordRow>(
      ctx.db,
      sql`SELECT ${daily.keywordId} AS id, min(${daily.adGroupId}) AS ad_group_id,
                 min(${adKeywords.keywordText}) AS text, min(${adKeywords.matchType}) AS match_type,
                 ${adSums(daily)}
          FROM ${daily}
          LEFT JOIN ${adKeywords} ON ${adKeywords.tenantId} = ${daily.tenantId} AND ${adKeywords.keywordId} = ${daily.keywordId}
          WHERE ${dailyRows(ctx, input, 'keyword')} GROUP BY 1 ${top}`,
    ),
    queryRows<ProductRow>(
      ctx.db,
      sql`SELECT ${daily.asin} AS id, ${adSums(daily)}
          FROM ${daily} WHERE ${dailyRows(ctx, input, 'product')} GROUP BY 1 ${top}`,
    ),
  ]);
  const metrics = (r: AdMetricSums) => adMetrics(r, input.currency);
  return {
    byCampaign: byCampaign.map((r) => ({ campaignId: r.id, name: r.name, ...metrics(r) })),
    byAdGroup: byAdGroup.map((r) => ({
      adGroupId: r.id,
      campaignId: r.campaign_id,
      name: r.name,
      ...metrics(r),
    })),
    byKeyword: byKeyword.map((r) => ({
      keywordId: r.id,
      adGroupId: r.ad_group_id,
      keywordText: r.text,
      matchType: r.match_type,
      ...metrics(r),
    })),
    byProduct: byProduct.map((r) => ({ asin: r.id, ...metrics(r) })),
  };
}
