import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AcquireResult } from '../amazon/quota';
import type { AppContext } from '../context';
import { RateLimitError } from '../lib/errors';
import {
  AUTH_IP_LIMIT,
  apiLimitFor,
  PUBLIC_IP_LIMIT,
  parseMultiplier,
  type RateRule,
  scaled,
  syncLimitFor,
} from './client-rate-limits';

/**
 * Client rate limits backed by the RateLimiter Durable Object: one object per user, IP or tenant,
 * so every isolate in every colo sees the same exact count (the Workers rate-limiting binding is
 * per-colo and approximate, which cannot promise "10 syncs per hour").
 */
function multiplier(c: Context<AppContext>): number {
  return parseMultiplier(c.env.RATE_LIMIT_MULTIPLIER);
}

/** The client's address as Cloudflare saw it; Cloudflare overwrites any value the client sends. */
export function clientIp(c: Context<AppContext>): string {
  return c.req.header('cf-connecting-ip') ?? 'unknown';
}

async function enforce(c: Context<AppContext>, key: string, baseRule: RateRule): Promise<void> {
  const rule = scaled(baseRule, multiplier(c));
  let result: AcquireResult;
  try {
    const stub = c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(key));
    result = await stub.acquire({
      bucket: rule.bucket,
      rate: rule.limit / rule.windowSeconds,
      burst: rule.limit,
    });
  } catch (err) {
    // Abuse limits fail open: an unreachable limiter must not take the API down.
    c.var.logger.warn('client rate limiter unavailable', { bucket: rule.bucket, error: err });
    return;
  }
  const headers = {
    'RateLimit-Limit': String(rule.limit),
    'RateLimit-Remaining': String(Math.max(0, result.remaining)),
    'RateLimit-Reset': String(Math.ceil(result.resetMs / 1000)),
  };
  if (!result.granted) {
    throw new RateLimitError(result.waitMs / 1000, 'Too many requests', headers);
  }
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
}

/** General API limit per authenticated user, sized by plan. Runs after `authenticate`. */
export const userRateLimit = createMiddleware<AppContext>(async (c, next) => {
  await enforce(c, `client:user:${c.var.auth.userId}`, apiLimitFor(c.var.auth.plan));
  await next();
});

/** General limit per client IP for public endpoints. */
export const ipRateLimit = createMiddleware<AppContext>(async (c, next) => {
  await enforce(c, `client:ip:${clientIp(c)}`, PUBLIC_IP_LIMIT);
  await next();
});

/** The stricter limit for credential endpoints (login, register, accept-invite), per IP. */
export const authRateLimit = createMiddleware<AppContext>(async (c, next) => {
  await enforce(c, `client:ip:${clientIp(c)}`, AUTH_IP_LIMIT);
  await next();
});

/**
 * Manual sync limit per tenant (PRD §5.3: 10 per hour, none for ENTERPRISE). Needs `c.var.auth`:
 * add it to a `sync.run` route as `protectedRoute({ ..., middleware: [syncRateLimit] })`, which
 * runs it after authentication and the permission check.
 */
export const syncRateLimit: MiddlewareHandler<AppContext> = createMiddleware<AppContext>(async (c, next) => {
  const rule = syncLimitFor(c.var.auth.plan);
  if (rule) await enforce(c, `client:tenant:${c.var.auth.tenantId}`, rule);
  await next();
});
