import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { queryRows } from '../../db/client';
import { localDayWindow } from '../../db/local-days';
import { assertRange, type DayRange } from '../../lib/dates';
import { tenantPrefs } from '../tenant/prefs';
import { AD_SUMS, adMetrics, type RawAdMetrics } from './metrics';

/** Hourly series are limited to a month of hours. */
export const MAX_HOURLY_DAYS = 31;
const BREAKDOWN_LIMIT = 50;

export interface PerformanceInput extends DayRange {
  granularity: 'hour' | 'day' | 'week' | 'month';
  campaignId?: string;
  adGroupId?: string;
  currency?: string;
}

/**
 * Time series at the finest level the filters name (ad group when adGroupId is given, else
 * campaign: the levels are not summed together, which would count spend twice), and breakdowns by
 * campaign, ad group, keyword and product over the same days.
 */
export async function adPerformance({
  db,
  tenantId,
  input,
}: {
  db: Database;
  tenantId: string;
  input: PerformanceInput;
}) {
  assertRange(input, input.granularity === 'hour' ? MAX_HOURLY_DAYS : undefined);
  const prefs = await tenantPrefs(db, tenantId);
  const currency = input.currency ?? prefs.currency;
  const scope = (t: string): SQL[] => {
    const w = [
      sql`${sql.identifier(t)}.tenant_id = ${tenantId}`,
      sql`trim(coalesce(${sql.identifier(t)}.currency, ${prefs.currency})) = ${currency}`,
    ];
    if (input.campaignId) w.push(sql`${sql.identifier(t)}.campaign_id = ${input.campaignId}`);
    if (input.adGroupId) w.push(sql`${sql.identifier(t)}.ad_group_id = ${input.adGroupId}`);
    return w;
  };
  const seriesLevel = input.adGroupId ? 'ad_group' : 'campaign';
  const daily = (level: string) =>
    sql.join(
      [
        ...scope('d'),
        sql`d.level = ${level}`,
        sql`d.date BETWEEN ${input.start}::date AND ${input.end}::date`,
      ],
      sql` AND `,
    );

  const seriesQuery =
    input.granularity === 'hour'
      ? sql`SELECT to_char(date_trunc('hour', d.hour AT TIME ZONE ${prefs.timezone}), 'YYYY-MM-DD"T"HH24:00') AS bucket, ${AD_SUMS}
            FROM ad_metrics_hourly d
            WHERE ${sql.join([...scope('d'), sql`d.level = ${seriesLevel}`, localDayWindow(sql`d.hour`, prefs.timezone, input.start, input.end)], sql` AND `)}
            GROUP BY 1 ORDER BY 1`
      : sql`SELECT to_char(date_trunc(${sql.raw(`'${input.granularity}'`)}, d.date)::date, 'YYYY-MM-DD') AS bucket, ${AD_SUMS}
            FROM ad_metrics_daily d WHERE ${daily(seriesLevel)} GROUP BY 1 ORDER BY 1`;

  const top = sql.raw(`ORDER BY sum(cost) DESC, 1 LIMIT ${BREAKDOWN_LIMIT}`);
  const [series, byCampaign, byAdGroup, byKeyword, byProduct] = await Promise.all([
    queryRows<RawAdMetrics & { bucket: string }>(db, seriesQuery),
    queryRows<RawAdMetrics & { id: string; name: string | null }>(
      db,
      sql`SELECT d.campaign_id AS id, (SELECT name FROM ad_campaigns c WHERE c.tenant_id = ${tenantId} AND c.campaign_id = d.campaign_id) AS name,
                 ${AD_SUMS} FROM ad_metrics_daily d WHERE ${daily('campaign')} GROUP BY 1 ${top}`,
    ),
    queryRows<RawAdMetrics & { id: string; name: string | null; campaign_id: string }>(
      db,
      sql`SELECT d.ad_group_id AS id, min(d.campaign_id) AS campaign_id,
                 (SELECT name FROM ad_groups g WHERE g.tenant_id = ${tenantId} AND g.ad_group_id = d.ad_group_id) AS name,
                 ${AD_SUMS} FROM ad_metrics_daily d WHERE ${daily('ad_group')} GROUP BY 1 ${top}`,
    ),
    queryRows<
      RawAdMetrics & {
        id: string;
        text: string | null;
        match_type: string | null;
        ad_group_id: string | null;
      }
    >(
      db,
      sql`SELECT d.keyword_id AS id, min(d.ad_group_id) AS ad_group_id, min(k.keyword_text) AS text, min(k.match_type) AS match_type,
                 ${AD_SUMS} FROM ad_metrics_daily d
          LEFT JOIN ad_keywords k ON k.tenant_id = d.tenant_id AND k.keyword_id = d.keyword_id
          WHERE ${daily('keyword')} GROUP BY 1 ${top}`,
    ),
    queryRows<RawAdMetrics & { id: string | null }>(
      db,
      sql`SELECT d.asin AS id, ${AD_SUMS} FROM ad_metrics_daily d WHERE ${daily('product')} GROUP BY 1 ${top}`,
    ),
  ]);
  return {
    currency,
    granularity: input.granularity,
    seriesLevel,
    performance: series.map((r) => ({ period: r.bucket, ...adMetrics(r, currency) })),
    breakdown: {
      byCampaign: byCampaign.map((r) => ({ campaignId: r.id, name: r.name, ...adMetrics(r, currency) })),
      byAdGroup: byAdGroup.map((r) => ({
        adGroupId: r.id,
        campaignId: r.campaign_id,
        name: r.name,
        ...adMetrics(r, currency),
      })),
      byKeyword: byKeyword.map((r) => ({
        keywordId: r.id,
        adGroupId: r.ad_group_id,
        keywordText: r.text,
        matchType: r.match_type,
        ...adMetrics(r, currency),
      })),
      byProduct: byProduct.map((r) => ({ asin: r.id, ...adMetrics(r, currency) })),
    },
  };
}
