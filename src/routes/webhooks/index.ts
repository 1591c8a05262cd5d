import { createRoute, z } from '@hono/zod-openapi';
import { jsonBody, jsonResponse } from '../../lib/api-schemas';
import { receiveNotification } from '../../services/notifications/receive';
import { ErrorResponse } from '../protected-route';
import { createRouter } from '../router';

/** Public (no bearer token): Amazon's EventBridge API destination authenticates with the x-api-key header. */
const amazonRoute = createRoute({
  method: 'post',
  path: '/amazon',
  tags: ['Webhooks'],
  summary: 'Amazon SP-API notifications (EventBridge API destination)',
  request: {
    headers: z.object({
      'x-api-key': z.string().optional().openapi({ description: 'Shared secret (NOTIFICATIONS_API_KEY)' }),
    }),
    body: jsonBody(z.record(z.string(), z.unknown())),
  },
  responses: {
    200: jsonResponse(
      z.object({
        status: z
          .enum(['queued', 'duplicate', 'stored', 'skipped'])
          .openapi({ description: 'skipped: the tenant is suspended; nothing is stored or synced' }),
        notificationId: z.string(),
        jobId: z.string().nullable(),
      }),
      'Accepted (duplicates are acknowledged without a second sync)',
    ),
    400: jsonResponse(ErrorResponse, 'Not a valid notification'),
    401: jsonResponse(ErrorResponse, 'Missing or wrong API key'),
    403: jsonResponse(ErrorResponse, 'Another application, or an unknown subscription'),
  },
});

// Public route: no authenticated request context, so the service gets the request's db and env.
export const webhookRoutes = createRouter().openapi(amazonRoute, async (c) =>
  c.json(
    await receiveNotification(
      { db: c.var.db, env: c.env, logger: c.var.logger },
      { apiKey: c.req.header('x-api-key'), body: c.req.valid('json') },
    ),
    200,
  ),
);
