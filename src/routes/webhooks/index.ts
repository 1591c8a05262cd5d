import { createRoute, z } from '@hono/zod-openapi';
import { receiveNotification } from '../../services/sync/notifications';
import { ErrorResponse } from '../protected-route';
import { createRouter } from '../router';

const errors = { 'application/json': { schema: ErrorResponse } };

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
    body: { required: true, content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
  },
  responses: {
    200: {
      description: 'Accepted (duplicates are acknowledged without a second sync)',
      content: {
        'application/json': {
          schema: z.object({
            status: z.enum(['queued', 'duplicate', 'stored']),
            notificationId: z.string(),
            jobId: z.string().nullable(),
          }),
        },
      },
    },
    400: { description: 'Not a valid notification', content: errors },
    401: { description: 'Missing or wrong API key', content: errors },
    403: { description: 'Another application, or an unknown subscription', content: errors },
  },
});

export const webhookRoutes = createRouter().openapi(amazonRoute, async (c) =>
  c.json(
    await receiveNotification({ env: c.env, db: c.var.db }, c.req.header('x-api-key'), c.req.valid('json')),
    200,
  ),
);
