import { createRoute, z } from '@hono/zod-openapi';
import { jsonResponse } from '../../lib/api-schemas';
import { ipRateLimit } from '../../middleware/client-rate-limit';
import { checkHealth } from '../../services/health';
import { ErrorResponse } from '../protected-route';
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
  description:
    'Public and limited per client IP. The checks run at most every 15 s per isolate (the answer ' +
    'is reused meanwhile; `timestamp` says when they ran) and the queue is probed at most once a minute.',
  middleware: [ipRateLimit] as const,
  responses: {
    200: jsonResponse(HealthResponse, 'All checks passed'),
    429: jsonResponse(ErrorResponse, 'Too many requests from this address'),
    503: jsonResponse(HealthResponse, 'At least one check failed'),
  },
});

/** Public (no caller, so no `c.var.ctx`): the checks get the request's database and the bindings. */
export const healthRoutes = createRouter().openapi(route, async (c) => {
  const report = await checkHealth({ db: c.var.db, env: c.env });
  c.header('Cache-Control', 'no-store');
  return c.json(report, report.status === 'healthy' ? 200 : 503);
});
