import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppContext } from '../../context';
import { CurrencyQuery, MoneySchema, Section } from '../../lib/api-schemas';
import { isoDate } from '../../lib/dates';
import { cached, tenantCacheKey } from '../../services/cache';
import { dashboard } from '../../services/metrics/dashboard';
import { realtime } from '../../services/metrics/realtime';
import { protectedRoute } from '../protected-route';
import { createRouter } from '../router';

export const DASHBOARD_TTL_SECONDS = 300;
export const REALTIME_TTL_SECONDS = 30;

const cacheHeader = z.object({
  'X-Cache': z.enum(['HIT', 'MISS']).openapi({ description: 'Whether the snapshot came from KV' }),
});

const dashboardRoute = protectedRoute({
  method: 'get',
  path: '/dashboard',
  tags: ['Metrics'],
  summary: 'KPIs, comparison, charts and alert counts for tenant-local days (cached 5 minutes)',
  permissions: ['orders.view'],
  request: {
    query: z.object({
      startDate: isoDate,
      endDate: isoDate,
      marketplaceId: z.string().min(1).max(20).optional(),
      comparison: z.enum(['previous_period', 'previous_year', 'custom']).optional(),
      comparisonStartDate: isoDate.optional(),
      comparisonEndDate: isoDate.optional(),
      currency: CurrencyQuery,
    }),
  },
  responses: {
    200: {
      description: 'Dashboard',
      headers: cacheHeader,
      content: {
        'application/json': {
          schema: z
            .object({
              currency: z.string(),
              period: Section,
              kpis: Section,
              charts: Section,
              alerts: Section,
            })
            .openapi('Dashboard'),
        },
      },
    },
  },
});

const realtimeRoute = protectedRoute({
  method: 'get',
  path: '/realtime',
  tags: ['Metrics'],
  summary:
    "Today's sales, orders and units, inventory value, low stock, alerts and sync status (cached 30 s)",
  permissions: ['orders.view'],
  request: { query: z.object({ currency: CurrencyQuery }) },
  responses: {
    200: {
      description: 'Realtime snapshot',
      headers: cacheHeader,
      content: {
        'application/json': {
          schema: z
            .object({
              timestamp: z.string(),
              todaySales: MoneySchema,
              todayOrders: z.number(),
              todayUnits: z.number(),
              currentInventoryValue: MoneySchema,
              lowStockProducts: z.number(),
              activeAlerts: z.number(),
              syncStatus: z.enum(['idle', 'running', 'error']),
            })
            .passthrough()
            .openapi('Realtime'),
        },
      },
    },
  },
});

function snapshot<T>(
  c: Context<AppContext>,
  view: string,
  params: Record<string, unknown>,
  ttl: number,
  compute: () => Promise<T>,
) {
  const { tenantId, dataVersion } = c.var.auth;
  return cached(c.env.CACHE, tenantCacheKey(tenantId, dataVersion, view, params), ttl, compute, (p) =>
    c.executionCtx.waitUntil(p),
  );
}

export const metricsRoutes = createRouter()
  .openapi(dashboardRoute, async (c) => {
    const q = c.req.valid('query');
    const { value, hit } = await snapshot(c, 'dashboard', q, DASHBOARD_TTL_SECONDS, () =>
      dashboard({
        db: c.var.db,
        tenantId: c.var.auth.tenantId,
        input: { ...q, start: q.startDate, end: q.endDate },
      }),
    );
    c.header('X-Cache', hit ? 'HIT' : 'MISS');
    c.header('Cache-Control', 'private, no-cache');
    return c.json(value, 200);
  })
  .openapi(realtimeRoute, async (c) => {
    const q = c.req.valid('query');
    const { value, hit } = await snapshot(c, 'realtime', q, REALTIME_TTL_SECONDS, () =>
      realtime({ db: c.var.db, tenantId: c.var.auth.tenantId, currency: q.currency }),
    );
    c.header('X-Cache', hit ? 'HIT' : 'MISS');
    c.header('Cache-Control', 'private, no-cache');
    return c.json(value, 200);
  });
