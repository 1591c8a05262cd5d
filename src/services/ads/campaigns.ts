import { eq, ilike, type SQL, sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { type AdCampaign, adCampaigns, adMetricsDaily } from '../../db/schema';
import { assertRange, type DayRange } from '../../lib/dates';
import { money } from '../../lib/money';
import type { TenantContext } from '../context';
import { type AdMetricSums, adMetrics, adSums } from './metrics';

export const CAMPAIGN_SORTS = ['spend', 'sales', 'acos', 'roas', 'impressions', 'clicks'] as const;

export interface CampaignListInput extends DayRange {
  profileId?: string;
  status?: AdCampaign['state'];
  type?: AdCampaign['campaignType'];
  search?: string;
  sortBy: (typeof CAMPAIGN_SORTS)[number];
  sortOrder: 'asc' | 'desc';
  page: number;
  limit: number;
  currency?: string;
}

type CampaignsContext = Pick<TenantContext, 'db' | 'tenant'>;

type CampaignRow = AdMetricSums & {
  campaign_id: string;
  profile_id: string;
  name: string;
  campaign_type: AdCampaign['campaignType'];
  targeting_type: string | null;
  state: AdCampaign['state'];
  daily_budget: string | null;
  currency: string;
  start_date: string | null;
  end_date: string | null;
};

const campaign = adCampaigns;
const daily = adMetricsDaily;

/** Orderings over the columns of the `m` metrics CTE. */
const SORT: Record<CampaignListInput['sortBy'], SQL> = {
  spend: sql`coalesce(m.spend, 0)`,
  sales: sql`coalesce(m.sales, 0)`,
  acos: sql`CASE WHEN m.sales > 0 THEN m.spend / m.sales END`,
  roas: sql`CASE WHEN m.spend > 0 THEN m.sales / m.spend END`,
  impressions: sql`coalesce(m.impressions, 0)`,
  clicks: sql`coalesce(m.clicks, 0)`,
};

/** Campaigns with their metrics over [start, end]; totals add up campaigns in one currency. */
export async function listCampaigns(ctx: CampaignsContext, input: CampaignListInput) {
  assertRange(input);
  const currency = input.currency ?? ctx.tenant.currency;
  const where = campaignFilter(ctx, input);
  const [rows, totals, total] = await Promise.all([
    queryRows<CampaignRow>(ctx.db, campaignPage(ctx, input, where)),
    queryRows<AdMetricSums>(
      ctx.db,
      sql`SELECT ${adSums(daily)}
          FROM ${campaign} JOIN ${daily} ON ${daily.tenantId} = ${campaign.tenantId} AND ${daily.level} = 'campaign'
            AND ${daily.campaignId} = ${campaign.campaignId} AND ${daily.date} BETWEEN ${input.start}::date AND ${input.end}::date
          WHERE ${where} AND ${campaignCurrency(ctx)} = ${currency}`,
    ),
    ctx.db.$count(campaign, where),
  ]);
  return {
    campaigns: rows.map((r) => ({
      campaignId: r.campaign_id,
      profileId: r.profile_id,
      name: r.name,
      type: r.campaign_type,
      targetingType: r.targeting_type,
      state: r.state,
      currency: r.currency,
      dailyBudget: r.daily_budget === null ? null : money(r.daily_budget, r.currency),
      startDate: r.start_date,
      endDate: r.end_date,
      ...adMetrics(r, r.currency),
    })),
    totals: { currency, ...adMetrics(totals[0] ?? NO_METRICS, currency) },
    pagination: { page: input.page, limit: input.limit, total, pages: Math.ceil(total / input.limit) },
  };
}

const NO_METRICS: AdMetricSums = {
  impressions: null,
  clicks: null,
  spend: null,
  sales: null,
  orders: null,
  units: null,
};

/** A campaign's currency; campaigns synced without one are in the tenant's. */
const campaignCurrency = (ctx: CampaignsContext) =>
  sql`coalesce(trim(${campaign.currency}), ${ctx.tenant.currency})`;

function campaignFilter(ctx: CampaignsContext, input: CampaignListInput): SQL {
  const where = [eq(campaign.tenantId, ctx.tenant.id)];
  if (input.profileId) where.push(eq(campaign.profileId, input.profileId));
  if (input.status) where.push(eq(campaign.state, input.status));
  if (input.type) where.push(eq(campaign.campaignType, input.type));
  if (input.search)
    where.push(ilike(campaign.name, `%${input.search.replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`));
  return sql.join(where, sql` AND `);
}

/** One page of campaigns in the requested order, each with its metric sums over the range. */
function campaignPage(ctx: CampaignsContext, input: CampaignListInput, where: SQL): SQL {
  const dir = sql.raw(input.sortOrder === 'asc' ? 'ASC NULLS LAST' : 'DESC NULLS LAST');
  return sql`
    WITH m AS (
      SELECT ${daily.campaignId} AS campaign_id, sum(${daily.impressions}) AS impressions,
             sum(${daily.clicks}) AS clicks, sum(${daily.cost}) AS spend, sum(${daily.sales7d}) AS sales,
             sum(${daily.orders7d}) AS orders, sum(${daily.units7d}) AS units
      FROM ${daily}
      WHERE ${daily.tenantId} = ${ctx.tenant.id} AND ${daily.level} = 'campaign'
        AND ${daily.date} BETWEEN ${input.start}::date AND ${input.end}::date
      GROUP BY 1
    )
    SELECT ${campaign.campaignId} AS campaign_id, ${campaign.profileId} AS profile_id, ${campaign.name} AS name,
           ${campaign.campaignType} AS campaign_type, ${campaign.targetingType} AS targeting_type,
           ${campaign.state} AS state, ${campaign.dailyBudget}::text AS daily_budget,
           ${campaignCurrency(ctx)} AS currency,
           to_char(${campaign.startDate}, 'YYYY-MM-DD') AS start_date,
           to_char(${campaign.endDate}, 'YYYY-MM-DD') AS end_date,
           m.impressions::text AS impressions, m.clicks::text AS clicks, m.spend::text AS spend,
           m.sales::text AS sales, m.orders::text AS orders, m.units::text AS units
    FROM ${campaign} LEFT JOIN m ON m.campaign_id = ${campaign.campaignId}
    WHERE ${where}
    ORDER BY ${SORT[input.sortBy]} ${dir}, ${campaign.campaignId}
    LIMIT ${input.limit} OFFSET ${(input.page - 1) * input.limit}`;
}
