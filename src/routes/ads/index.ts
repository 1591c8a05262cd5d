import { z } from '@hono/zod-openapi';
import { AD_STATES, CAMPAIGN_TYPES } from '../../db/schema/ads';
import {
  CurrencyQuery,
  jsonResponse,
  LimitQuery,
  limitPageDepth,
  MoneySchema,
  PageQuery,
  PaginationSchema,
  Section,
} from '../../lib/api-schemas';
import { isoDate } from '../../lib/dates';
import { CAMPAIGN_SORTS, listCampaigns } from '../../services/ads/campaigns';
import { adPerformance } from '../../services/ads/performance';
import { protectedRoute } from '../protected-route';
import { createRouter } from '../router';

const campaigns = protectedRoute({
  method: 'get',
  path: '/campaigns',
  tags: ['Advertising'],
  summary: 'Campaigns with spend, sales, impressions, clicks, ACoS and ROAS over a range',
  permissions: ['ads.view'],
  request: {
    query: z
      .object({
        profileId: z.string().min(1).max(40).optional(),
        status: z.enum(AD_STATES).optional(),
        type: z.enum(CAMPAIGN_TYPES).optional(),
        search: z
          .string()
          .trim()
          .min(1)
          .max(100)
          .optional()
          .openapi({ description: 'Part of the campaign name' }),
        startDate: isoDate,
        endDate: isoDate,
        sortBy: z.enum(CAMPAIGN_SORTS).default('spend'),
        sortOrder: z.enum(['asc', 'desc']).default('desc'),
        page: PageQuery,
        limit: LimitQuery,
        currency: CurrencyQuery,
      })
      .superRefine(limitPageDepth),
  },
  responses: {
    200: jsonResponse(
      z
        .object({
          campaigns: z.array(Section),
          totals: z
            .object({
              currency: z.string(),
              spend: MoneySchema,
              sales: MoneySchema,
              acos: z.number().nullable(),
              roas: z.number().nullable(),
            })
            .passthrough(),
          pagination: PaginationSchema,
        })
        .openapi('AdCampaigns'),
      'A page of campaigns and totals',
    ),
  },
});

const performance = protectedRoute({
  method: 'get',
  path: '/performance',
  tags: ['Advertising'],
  summary:
    'Ad metrics by hour, day, week or month with breakdowns by campaign, ad group, keyword and product',
  permissions: ['ads.view'],
  request: {
    query: z.object({
      granularity: z.enum(['hour', 'day', 'week', 'month']).default('day'),
      startDate: isoDate,
      endDate: isoDate,
      campaignId: z.string().min(1).max(40).optional(),
      adGroupId: z.string().min(1).max(40).optional(),
      currency: CurrencyQuery,
    }),
  },
  responses: {
    200: jsonResponse(
      z
        .object({ performance: z.array(Section), breakdown: Section })
        .passthrough()
        .openapi('AdPerformance'),
      'Series and breakdowns',
    ),
  },
});

export const adsRoutes = createRouter()
  .openapi(campaigns, async (c) => {
    const q = c.req.valid('query');
    return c.json(await listCampaigns(c.var.ctx, { ...q, start: q.startDate, end: q.endDate }), 200);
  })
  .openapi(performance, async (c) => {
    const q = c.req.valid('query');
    return c.json(await adPerformance(c.var.ctx, { ...q, start: q.startDate, end: q.endDate }), 200);
  });
