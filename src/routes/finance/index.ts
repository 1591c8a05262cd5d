import { z } from '@hono/zod-openapi';
import { FINANCE_CATEGORIES } from '../../db/schema/finance';
import {
  CurrencyQuery,
  enumList,
  jsonResponse,
  LimitQuery,
  limitPageDepth,
  PageQuery,
  PaginationSchema,
  Section,
} from '../../lib/api-schemas';
import { isoDate } from '../../lib/dates';
import { FINANCE_PERIODS } from '../../services/finance/periods';
import { profitAndLoss } from '../../services/finance/pnl';
import { financeSummary } from '../../services/finance/summary';
import { listTransactions } from '../../services/finance/transactions';
import { protectedRoute } from '../protected-route';
import { createRouter } from '../router';

/** A 200 JSON response whose object has at least these fields. */
const ok = (name: string, description: string, shape: Record<string, z.ZodType>) => ({
  200: jsonResponse(z.object(shape).passthrough().openapi(name), description),
});

const summary = protectedRoute({
  method: 'get',
  path: '/summary',
  tags: ['Finance'],
  summary: 'Revenue, costs, profit and breakdowns for a period (formulas: src/services/finance/FORMULAS.md)',
  permissions: ['finance.view'],
  request: {
    query: z.object({
      period: z.enum(FINANCE_PERIODS).default('month'),
      startDate: isoDate.optional(),
      endDate: isoDate.optional(),
      groupBy: z.enum(['day', 'week', 'month']).default('day'),
      currency: CurrencyQuery,
    }),
  },
  responses: ok('FinanceSummary', 'Summary', {
    revenue: Section,
    costs: Section,
    profit: Section,
    breakdown: Section,
  }),
});

const typeList = enumList(FINANCE_CATEGORIES);

const transactions = protectedRoute({
  method: 'get',
  path: '/transactions',
  tags: ['Finance'],
  summary: 'Finance events posted in a range, with credit/debit totals in one currency',
  permissions: ['finance.view'],
  request: {
    query: z
      .object({
        type: typeList.openapi({ description: 'P&L categories, repeated or comma-separated' }),
        'type[]': typeList,
        eventType: z.string().min(1).max(100).optional(),
        startDate: isoDate,
        endDate: isoDate,
        minAmount: z.coerce
          .number()
          .finite()
          .min(0)
          .optional()
          .openapi({ description: 'Absolute amount at least' }),
        page: PageQuery,
        limit: LimitQuery,
        currency: CurrencyQuery,
      })
      .superRefine(limitPageDepth),
  },
  responses: ok('FinanceTransactions', 'Transactions', {
    transactions: z.array(Section),
    pagination: PaginationSchema,
    totals: Section,
  }),
});

const pnl = protectedRoute({
  method: 'get',
  path: '/pnl',
  tags: ['Finance'],
  summary: 'Profit and loss statement with optional comparison, variance and recommendations',
  permissions: ['finance.view'],
  request: {
    query: z.object({
      startDate: isoDate,
      endDate: isoDate,
      compareWith: z.enum(['previous_period', 'previous_year']).optional(),
      currency: CurrencyQuery,
    }),
  },
  responses: ok('ProfitAndLoss', 'Statement', { current: Section, recommendations: z.array(z.string()) }),
});

export const financeRoutes = createRouter()
  .openapi(summary, async (c) => c.json(await financeSummary(c.var.ctx, c.req.valid('query')), 200))
  .openapi(transactions, async (c) => {
    const q = c.req.valid('query');
    const type = [...(q.type ?? []), ...(q['type[]'] ?? [])];
    const input = { ...q, start: q.startDate, end: q.endDate, type: type.length ? type : undefined };
    return c.json(await listTransactions(c.var.ctx, input), 200);
  })
  .openapi(pnl, async (c) => {
    const q = c.req.valid('query');
    return c.json(await profitAndLoss(c.var.ctx, { ...q, start: q.startDate, end: q.endDate }), 200);
  });
