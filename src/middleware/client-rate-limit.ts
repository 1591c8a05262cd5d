import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { type ClientSubject, clientLimiter } from '../../durable-objects/client-rate-limiter';
import type { AppContext } from '../context';
import type { TenantPlan } from '../db/schema/tenants';
import type { AppEnv } from '../env';
import { AppError, RateLimitError } from '../lib/errors';
import {
  API_LIMITS_PER_PLAN,
  AUTH_IP_LIMIT,
  type ClientRateLimits,
  LIMITER_UNAVAILABLE_RETRY_SECONDS,
  type LimitOptions,
  type LimitResult,
  NEW_USER_LIMIT,
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
    limit: (subject, rule, options) => {
      const stub = clientLimiter(env, subject);
      const req = { bucket: rule.bucket, rate: rule.limit / rule.windowSeconds, burst: rule.limit };
      return options?.keepStoredRule ? stub.acquireWithStoredRule(req) : stub.acquire(req);
    },
  };
}

/** The client's address as Cloudflare saw it; Cloudflare overwrites any value the client sends. */
export function clientIp(c: Context<AppContext>): string {
  return c.req.header('cf-connecting-ip') ?? 'unknown';
}

/**
 * The first four groups (the /64 prefix) of an IPv6 address, or null when it is not one. The URL
 * parser validates and canonicalises it (lower case, embedded IPv4 in hex, `::` for zeros).
 */
function ipv6Prefix64(ip: string): string | null {
  let host: string;
  try {
    host = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
  const [head = '', tail] = host.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].slice(0, 4).join(':');
}

/**
 * What a per-IP limit counts by: an IPv4 address as is, an IPv6 client by its /64 (one subscriber
 * gets a whole /64 and can rotate through it freely); an IPv4-mapped IPv6 address as its IPv4.
 */
export function ipLimitKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (!ip.includes(':')) return ip;
  const prefix = ipv6Prefix64(ip);
  return prefix === null ? ip : `${prefix}::/64`;
}

/** The subject of the per-IP limits for this request. */
function ipSubject(c: Context<AppContext>): ClientSubject {
  return { kind: 'ip', id: ipLimitKey(clientIp(c)) };
}

type Enforce = (
  c: Context<AppContext>,
  subject: ClientSubject,
  rule: RateRule,
  options?: LimitOptions,
) => Promise<LimitResult | null>;

/**
 * Counts the request and sets the RateLimit-* headers, or throws the 429 with Retry-After. When
 * the limiter cannot be reached the rule decides: `allow` lets the request through (null), `refuse`
 * throws 503 with Retry-After.
 */
function enforcer(limitsOf: (env: AppEnv) => ClientRateLimits): Enforce {
  return async (c, subject, baseRule, options) => {
    const rule = scaled(baseRule, parseMultiplier(c.env.RATE_LIMIT_MULTIPLIER));
    let result: LimitResult;
    try {
      result = await limitsOf(c.env).limit(subject, rule, options);
    } catch (err) {
      c.var.logger.warn('client rate limiter unavailable', { bucket: rule.bucket, error: err });
      if (rule.whenUnavailable === 'allow') return null;
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        'Rate limiting is unavailable; try again shortly',
        undefined,
        {
          'Retry-After': String(LIMITER_UNAVAILABLE_RETRY_SECONDS),
        },
      );
    }
    const headers = {
      'RateLimit-Limit': String(result.limit ?? rule.limit),
      'RateLimit-Remaining': String(Math.max(0, result.remaining)),
      'RateLimit-Reset': String(Math.ceil(result.resetMs / 1000)),
    };
    if (!result.granted) {
      throw new RateLimitError(result.waitMs / 1000, 'Too many requests', headers);
    }
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    return result;
  };
}

/**
 * The per-user API limit (sized by plan), in two steps around the user lookup so a throttled user
 * costs no database read. `beforeLookup` runs once the token is verified, keyed by its subject, and
 * counts against the rule stored with the user's bucket (NEW_USER_LIMIT for a new one); it throws
 * the 429. `afterLookup` runs once the plan is known: when the stored rule is not the plan's (a new
 * user, a plan change), it stores the plan's rule and counts this request under it.
 */
export interface UserRateLimit {
  /** Returns the bucket size in effect, or null when the limiter could not be reached. */
  beforeLookup(c: Context<AppContext>, userId: string): Promise<number | null>;
  afterLookup(
    c: Context<AppContext>,
    userId: string,
    plan: TenantPlan,
    limitInEffect: number | null,
  ): Promise<void>;
}

function userRateLimitWith(enforce: Enforce): UserRateLimit {
  return {
    async beforeLookup(c, userId) {
      const result = await enforce(c, { kind: 'user', id: userId }, NEW_USER_LIMIT, { keepStoredRule: true });
      if (!result) return null;
      return result.limit ?? scaled(NEW_USER_LIMIT, parseMultiplier(c.env.RATE_LIMIT_MULTIPLIER)).limit;
    },
    async afterLookup(c, userId, plan, limitInEffect) {
      if (limitInEffect === null) return;
      const rule = API_LIMITS_PER_PLAN[plan];
      if (scaled(rule, parseMultiplier(c.env.RATE_LIMIT_MULTIPLIER)).limit === limitInEffect) return;
      await enforce(c, { kind: 'user', id: userId }, rule);
    },
  };
}

/** The client-limit middleware, counted by `limitsOf(env)`. */
export function clientRateLimitMiddleware(limitsOf: (env: AppEnv) => ClientRateLimits) {
  const enforce = enforcer(limitsOf);
  return {
    /** Per authenticated user; `authenticate` runs it around the user lookup. */
    userRateLimit: userRateLimitWith(enforce),
    /** General limit per client IP (IPv6 per /64) for public endpoints. */
    ipRateLimit: createMiddleware<AppContext>(async (c, next) => {
      await enforce(c, ipSubject(c), PUBLIC_IP_LIMIT);
      await next();
    }),
    /** The stricter limit for credential endpoints (login, register, accept-invite), per IP. */
    authRateLimit: createMiddleware<AppContext>(async (c, next) => {
      await enforce(c, ipSubject(c), AUTH_IP_LIMIT);
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

/** Per authenticated user, sized by plan; run by `authenticate` around the user lookup. */
export const userRateLimit: UserRateLimit = durable.userRateLimit;
/** General limit per client IP (IPv6 per /64) for public endpoints. */
export const ipRateLimit = durable.ipRateLimit;
/** The stricter limit for credential endpoints (login, register, accept-invite), per IP. */
export const authRateLimit = durable.authRateLimit;
/** Manual sync limit per tenant; see `clientRateLimitMiddleware` for how to mount it. */
export const syncRateLimit: MiddlewareHandler<AppContext> = durable.syncRateLimit;
