import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { type ClientSubject, clientLimiter } from '../../durable-objects/client-rate-limiter';
import type { AppContext } from '../context';
import type { AppEnv } from '../env';
import { RateLimitError } from '../lib/errors';
import {
  API_LIMITS_PER_PLAN,
  AUTH_IP_LIMIT,
  type ClientRateLimits,
  type LimitResult,
  PUBLIC_IP_LIMIT,
  parseMultiplier,
  type RateRule,
  SYNC_LIMITS_PER_PLAN,
  scaled,
} from './client-rate-limits';

/**
 * Client limits counted by the ClientRateLimiter Durable Object: one object per user, IP or
 * tenant, so every isolate in every colo sees the same exact count (the Workers rate-limiting
 * binding is per-colo and approximate, which cannot promise "10 syncs per hour").
 */
export function durableClientLimits(env: Pick<AppEnv, 'CLIENT_RATE_LIMITER'>): ClientRateLimits {
  return {
    limit: (subject, rule) =>
      clientLimiter(env, subject).acquire({
        bucket: rule.bucket,
        rate: rule.limit / rule.windowSeconds,
        burst: rule.limit,
      }),
  };
}

/** The client's address as Cloudflare saw it; Cloudflare overwrites any value the client sends. */
export function clientIp(c: Context<AppContext>): string {
  return c.req.header('cf-connecting-ip') ?? 'unknown';
}

type Enforce = (c: Context<AppContext>, subject: ClientSubject, rule: RateRule) => Promise<void>;

/** Counts the request and sets the RateLimit-* headers, or throws the 429 with Retry-After. */
function enforcer(limitsOf: (env: AppEnv) => ClientRateLimits): Enforce {
  return async (c, subject, baseRule) => {
    const rule = scaled(baseRule, parseMultiplier(c.env.RATE_LIMIT_MULTIPLIER));
    let result: LimitResult;
    try {
      result = await limitsOf(c.env).limit(subject, rule);
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
  };
}

/** The client-limit middleware, counted by `limitsOf(env)`. */
export function clientRateLimitMiddleware(limitsOf: (env: AppEnv) => ClientRateLimits) {
  const enforce = enforcer(limitsOf);
  return {
    /** General API limit per authenticated user, sized by plan. Runs after `authenticate`. */
    userRateLimit: createMiddleware<AppContext>(async (c, next) => {
      const { actor, tenant } = c.var.ctx;
      await enforce(c, { kind: 'user', id: actor.userId }, API_LIMITS_PER_PLAN[tenant.plan]);
      await next();
    }),
    /** General limit per client IP for public endpoints. */
    ipRateLimit: createMiddleware<AppContext>(async (c, next) => {
      await enforce(c, { kind: 'ip', id: clientIp(c) }, PUBLIC_IP_LIMIT);
      await next();
    }),
    /** The stricter limit for credential endpoints (login, register, accept-invite), per IP. */
    authRateLimit: createMiddleware<AppContext>(async (c, next) => {
      await enforce(c, { kind: 'ip', id: clientIp(c) }, AUTH_IP_LIMIT);
      await next();
    }),
    /**
     * Manual sync limit per tenant (PRD §5.3: 10 per hour, none for ENTERPRISE). Needs the
     * request context: add it to a `sync.run` route as `protectedRoute({ ..., middleware:
     * [syncRateLimit] })`, which runs it after authentication and the permission check.
     */
    syncRateLimit: createMiddleware<AppContext>(async (c, next) => {
      const { tenant } = c.var.ctx;
      const rule = SYNC_LIMITS_PER_PLAN[tenant.plan];
      if (rule) await enforce(c, { kind: 'tenant', id: tenant.id }, rule);
      await next();
    }),
  };
}

const durable = clientRateLimitMiddleware(durableClientLimits);

/** General API limit per authenticated user, sized by plan. Runs after `authenticate`. */
export const userRateLimit = durable.userRateLimit;
/** General limit per client IP for public endpoints. */
export const ipRateLimit = durable.ipRateLimit;
/** The stricter limit for credential endpoints (login, register, accept-invite), per IP. */
export const authRateLimit = durable.authRateLimit;
/** Manual sync limit per tenant; see `clientRateLimitMiddleware` for how to mount it. */
export const syncRateLimit: MiddlewareHandler<AppContext> = durable.syncRateLimit;
