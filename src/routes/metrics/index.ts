import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppContext } from '../../context';
import { CurrencyQuery, jsonResponse, MoneySchema, Section } from '../../lib/api-schemas';
import { isoDate } from '../../lib/dates';
import { type CachedViewInput, cachedView } from '../../services/cache';
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
      ...jsonResponse(
        z
          .object({ currency: z.string(), period: Section, kpis: Section, charts: Section, alerts: Section })
          .openapi('Dashboard'),
        'Dashboard',
      ),
      headers: cacheHeader,
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
      ...jsonResponse(
        z
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
        'Realtime snapshot',
      ),
      headers: cacheHeader,
    },
  },
});

/** A view from the tenant's KV snapshot (keyed by its data version), with X-Cache saying whether it hit. */
async function snapshot<T>(c: Context<AppContext>, input: CachedViewInput<T>): Promise<T> {
  const waitUntil = (p: Promise<unknown>) => c.executionCtx.waitUntil(p);
  const { value, hit } = await cachedView({ ...c.var.ctx, waitUntil }, input);
  c.header('X-Cache', hit ? 'HIT' : 'MISS');
  c.header('Cache-Control', 'private, no-cache');
  return value;
}

export const metricsRoutes = createRouter()
  .openapi(dashboardRoute, async (c) => {
    const q = c.req.valid('query');
    const value = await snapshot(c, {
      view: 'dashboard',
      params: q,
      ttlSeconds: DASHBOARD_TTL_SECONDS,
      compute: () => dashboard(c.var.ctx, { ...q, start: q.startDate, end: q.endDate }),
    });
    return c.json(value, 200);
  })
  .openapi(realtimeRoute, async (c) => {
    const q = c.req.valid('query');
    const value = await snapshot(c, {
      view: 'realtime',
      params: q,
      ttlSeconds: REALTIME_TTL_SECONDS,
      compute: () => realtime(c.var.ctx, q),
    });
    return c.json(value, 200);
  });
