import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { AppContext } from '../../context';
import { jsonBody, jsonResponse } from '../../lib/api-schemas';
import { AppError, RateLimitError } from '../../lib/errors';
import { clientIp, durableClientLimits, ipLimitKey } from '../../middleware/client-rate-limit';
import { parseMultiplier, type RateRule, scaled } from '../../middleware/client-rate-limits';
import { checkNotificationKey, receiveNotification } from '../../services/notifications/receive';
import { ErrorResponse } from '../protected-route';
import { createRouter } from '../router';

/** Amazon notifications are a few KB; nothing larger is read. */
export const WEBHOOK_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Requests per client IP. EventBridge delivers every tenant's notifications from a few AWS
 * addresses, so this is sized for traffic, not for one client: keep the API destination's
 * invocation rate limit (300/s by default) at or below 50/s. A refused delivery (429) is retried
 * by EventBridge.
 */
export const WEBHOOK_IP_LIMIT: RateRule = {
  bucket: 'webhook',
  limit: 3000,
  windowSeconds: 60,
  // A cost limit: the API key is the security control.
  whenUnavailable: 'allow',
};

/** The per-IP limit (IPv6 per /64), counted before anything else; fails open (WEBHOOK_IP_LIMIT). */
const webhookIpLimit = createMiddleware<AppContext>(async (c, next) => {
  const rule = scaled(WEBHOOK_IP_LIMIT, parseMultiplier(c.env.RATE_LIMIT_MULTIPLIER));
  const result = await durableClientLimits(c.env)
    .limit({ kind: 'ip', id: ipLimitKey(clientIp(c)) }, rule)
    .catch((err: unknown) => {
      c.var.logger.warn('client rate limiter unavailable', { bucket: rule.bucket, error: err });
      return null;
    });
  if (result) {
    const headers = {
      'RateLimit-Limit': String(result.limit ?? rule.limit),
      'RateLimit-Remaining': String(Math.max(0, result.remaining)),
      'RateLimit-Reset': String(Math.ceil(result.resetMs / 1000)),
    };
    if (!result.granted) throw new RateLimitError(result.waitMs / 1000, 'Too many requests', headers);
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
  }
  await next();
});

/** The API key, before the body is read. */
const requireNotificationKey = createMiddleware<AppContext>(async (c, next) => {
  checkNotificationKey(c.env, c.req.header('x-api-key'));
  await next();
});

const webhookBodyLimit = bodyLimit({
  maxSize: WEBHOOK_BODY_LIMIT_BYTES,
  onError: () => {
    throw new AppError('PAYLOAD_TOO_LARGE', `Request body is larger than ${WEBHOOK_BODY_LIMIT_BYTES} bytes`, {
      maxBytes: WEBHOOK_BODY_LIMIT_BYTES,
    });
  },
});

/** Public (no bearer token): Amazon's EventBridge API destination authenticates with the x-api-key header. */
const amazonRoute = createRoute({
  method: 'post',
  path: '/amazon',
  tags: ['Webhooks'],
  summary: 'Amazon SP-API notifications (EventBridge API destination)',
  description:
    'Checked in this order, before the body is read: a per-IP limit, then the API key; then the body size (64 KiB), the JSON, the application id, PublishTime (at most 25 hours old), and the subscription, its notification type and its SellerId.',
  // Route middleware runs before the body validator, so a refused request is never parsed.
  middleware: [webhookIpLimit, requireNotificationKey, webhookBodyLimit],
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
    400: jsonResponse(ErrorResponse, 'Not a valid notification, or published more than 25 hours ago'),
    401: jsonResponse(ErrorResponse, 'Missing or wrong API key'),
    403: jsonResponse(
      ErrorResponse,
      'Another application, an unknown subscription, or a type or seller that is not the subscription’s',
    ),
    413: jsonResponse(ErrorResponse, 'Body larger than 64 KiB'),
    429: jsonResponse(ErrorResponse, 'Too many requests from this address'),
  },
});

// Public route: no authenticated request context, so the service gets the request's db and env.
export const webhookRoutes = createRouter().openapi(amazonRoute, async (c) =>
  c.json(
    await receiveNotification(
      { db: c.var.db, env: c.env, logger: c.var.logger },
      { body: c.req.valid('json') },
    ),
    200,
  ),
);
