import { createRoute, z } from '@hono/zod-openapi';
import { checkHealth } from '../../services/health';
import { createRouter } from '../router';

const check = z.object({
  status: z.enum(['ok', 'error']),
  latencyMs: z.number().int(),
  error: z.string().optional(),
});

const HealthResponse = z
  .object({
    status: z.enum(['healthy', 'degraded']),
    version: z.string(),
    timestamp: z.string(),
    checks: z.object({ database: check, cache: check, storage: check, queue: check }),
  })
  .openapi('Health');

const route = createRoute({
  method: 'get',
  path: '/',
  tags: ['Health'],
  summary: 'Service health: database, KV, R2 and queue',
  responses: {
    200: { description: 'All checks passed', content: { 'application/json': { schema: HealthResponse } } },
    503: {
      description: 'At least one check failed',
      content: { 'application/json': { schema: HealthResponse } },
    },
  },
});

export const healthRoutes = createRouter().openapi(route, async (c) => {
  const report = await checkHealth({
    db: c.var.db,
    cache: c.env.CACHE,
    exports: c.env.EXPORTS,
    syncQueue: c.env.SYNC_QUEUE,
    version: c.env.APP_VERSION,
  });
  c.header('Cache-Control', 'no-store');
  return c.json(report, report.status === 'healthy' ? 200 : 503);
});
