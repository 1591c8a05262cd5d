import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { queryRows } from '../../db/client';
import { assertRange, type DayRange } from '../../lib/dates';
import { money } from '../../lib/money';
import { tenantPrefs } from '../tenant/prefs';
import { AD_SUMS, adMetrics, type RawAdMetrics } from './metrics';

export const CAMPAIGN_SORTS = ['spend', 'sales', 'acos', 'roas', 'impressions', 'clicks'] as const;

export interface CampaignListInput extends DayRange {
  profileId?: string;
  status?: 'enabled' | 'paused' | 'archived';
  type?: 'SP' | 'SB' | 'SD';
  search?: string;
  sortBy: (typeof CAMPAIGN_SORTS)[number];
  sortOrder: 'asc' | 'desc';
  page: number;
  limit: number;
  currency?: string;
}

const SORT: Record<CampaignListInput['sortBy'], SQL> = {
  spend: sql`coalesce(m.spend, 0)`,
  sales: sql`coalesce(m.sales, 0)`,
  acos: sql`CASE WHEN m.sales > 0 THEN m.spend / m.sales END`,
  roas: sql`CASE WHEN m.spend > 0 THEN m.sales / m.spend END`,
  impressions: sql`coalesce(m.impressions, 0)`,
  clicks: sql`coalesce(m.clicks, 0)`,
};

/** Campaigns with their metrics over [start, end]; totals add up campaigns in one currency. */
export async function listCampaigns({
  db,
  tenantId,
  input,
}: {
  db: Database;
  tenantId: string;
  input: CampaignListInput;
}) {
  assertRange(input);
  const prefs = await tenantPrefs(db, tenantId);
  const currency = input.currency ?? prefs.currency;
  const where: SQL[] = [sql`c.tenant_id = ${tenantId}`];
  if (input.profileId) where.push(sql`c.profile_id = ${input.profileId}`);
  if (input.status) where.push(sql`c.state = ${input.status}`);
  if (input.type) where.push(sql`c.campaign_type = ${input.type}`);
  if (input.search)
    where.push(sql`c.name ILIKE ${`%${input.search.replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`}`);
  const cond = sql.join(where, sql` AND `);
  const metricsCte = sql`m AS (
    SELECT campaign_id, sum(impressions) AS impressions, sum(clicks) AS clicks, sum(cost) AS spend, sum(sales_7d) AS sales,
           sum(orders_7d) AS orders, sum(units_7d) AS units
    FROM ad_metrics_daily WHERE tenant_id = ${tenantId} AND level = 'campaign'
      AND date BETWEEN ${input.start}::date AND ${input.end}::date GROUP BY 1)`;
  const dir = sql.raw(input.sortOrder === 'asc' ? 'ASC NULLS LAST' : 'DESC NULLS LAST');
  const [rows, totals, counts] = await Promise.all([
    queryRows<Record<string, string | null> & RawAdMetrics>(
      db,
      sql`WITH ${metricsCte}
          SELECT c.campaign_id, c.profile_id, c.name, c.campaign_type, c.targeting_type, c.state,
                 c.daily_budget::text AS daily_budget, coalesce(trim(c.currency), ${prefs.currency}) AS currency,
                 to_char(c.start_date, 'YYYY-MM-DD') AS start_date, to_char(c.end_date, 'YYYY-MM-DD') AS end_date,
                 m.impressions::text AS impressions, m.clicks::text AS clicks, m.spend::text AS spend,
                 m.sales::text AS sales, m.orders::text AS orders, m.units::text AS units
          FROM ad_campaigns c LEFT JOIN m ON m.campaign_id = c.campaign_id
          WHERE ${cond} ORDER BY ${SORT[input.sortBy]} ${dir}, c.campaign_id
          LIMIT ${input.limit} OFFSET ${(input.page - 1) * input.limit}`,
    ),
    queryRows<RawAdMetrics>(
      db,
      sql`SELECT ${AD_SUMS} FROM (
            SELECT c.campaign_id, coalesce(trim(c.currency), ${prefs.currency}) AS cur, d.impressions, d.clicks, d.cost,
                   d.sales_7d, d.orders_7d, d.units_7d
            FROM ad_campaigns c JOIN ad_metrics_daily d ON d.tenant_id = c.tenant_id AND d.level = 'campaign'
              AND d.campaign_id = c.campaign_id AND d.date BETWEEN ${input.start}::date AND ${input.end}::date
            WHERE ${cond}) x WHERE cur = ${currency}`,
    ),
    queryRows<{ total: number }>(db, sql`SELECT count(*)::int AS total FROM ad_campaigns c WHERE ${cond}`),
  ]);
  const total = counts[0]?.total ?? 0;
  return {
    campaigns: rows.map((r) => ({
      campaignId: r.campaign_id as string,
      profileId: r.profile_id as string,
      name: r.name as string,
      type: r.campaign_type as string,
      targetingType: (r.targeting_type ?? null) as string | null,
      state: r.state as string,
      currency: r.currency as string,
      dailyBudget: r.daily_budget === null ? null : money(r.daily_budget, r.currency as string),
      startDate: (r.start_date ?? null) as string | null,
      endDate: (r.end_date ?? null) as string | null,
      ...adMetrics(r, r.currency as string),
    })),
    totals: {
      currency,
      ...adMetrics(
        totals[0] ?? { impressions: 0, clicks: 0, spend: '0', sales: '0', orders: 0, units: 0 },
        currency,
      ),
    },
    pagination: { page: input.page, limit: input.limit, total, pages: Math.ceil(total / input.limit) },
  };
}
