import type { ClientSubject } from '../../durable-objects/client-rate-limiter';
import type { AcquireResult } from '../amazon/quota';
import type { TenantPlan } from '../db/schema/tenants';

/**
 * Client (abuse) rate limits, PRD §5.3, in one place. Each rule is a token bucket per subject:
 * `limit` requests at once, refilled evenly over `windowSeconds`. `RATE_LIMIT_MULTIPLIER` (a plain
 * var, default 1) scales every limit, e.g. for load tests.
 */
export interface RateRule {
  /** Bucket name: subjects have one bucket per rule, and rules with the same name share it. */
  bucket: string;
  limit: number;
  windowSeconds: number;
  /**
   * What a request gets when the limiter cannot be reached: `allow` (fail open: the limit only
   * guards cost, and an unreachable limiter must not take the API down) or `refuse` (fail closed
   * with 503 and Retry-After: the limit is a security control, e.g. against password guessing).
   */
  whenUnavailable: 'allow' | 'refuse';
}

/**
 * The answer to one request: whether it may pass, and what the RateLimit-* headers report.
 * `limit` is the bucket size in effect when the backend reports it (a stored rule may differ from
 * the rule asked with).
 */
export type LimitResult = Pick<AcquireResult, 'granted' | 'waitMs' | 'remaining' | 'resetMs'> &
  Partial<Pick<AcquireResult, 'limit'>>;

export interface LimitOptions {
  /**
   * Count against the rule already stored with the subject's bucket, using the given rule only for
   * a new bucket. Lets the per-user limit run before the database says which plan applies.
   */
  keepStoredRule?: boolean;
}

/**
 * Where client limits are counted. The Worker uses the ClientRateLimiter Durable Object
 * (`durableClientLimits`); a test or another backend can stand in.
 */
export interface ClientRateLimits {
  /** Counts one request by `subject` against `rule`. */
  limit(subject: ClientSubject, rule: RateRule, options?: LimitOptions): Promise<LimitResult>;
}

const FIFTEEN_MINUTES = 15 * 60;
const HOUR = 60 * 60;

/** General API limit per authenticated user, by the tenant's plan. */
export const API_LIMITS_PER_PLAN: Record<TenantPlan, RateRule> = {
  STARTER: { bucket: 'api', limit: 100, windowSeconds: FIFTEEN_MINUTES, whenUnavailable: 'allow' },
  PRO: { bucket: 'api', limit: 300, windowSeconds: FIFTEEN_MINUTES, whenUnavailable: 'allow' },
  ENTERPRISE: { bucket: 'api', limit: 1000, windowSeconds: FIFTEEN_MINUTES, whenUnavailable: 'allow' },
};

/** Manual syncs (`sync.run` routes) per tenant; null means unlimited. */
export const SYNC_LIMITS_PER_PLAN: Record<TenantPlan, RateRule | null> = {
  STARTER: { bucket: 'sync', limit: 10, windowSeconds: HOUR, whenUnavailable: 'allow' },
  PRO: { bucket: 'sync', limit: 10, windowSeconds: HOUR, whenUnavailable: 'allow' },
  ENTERPRISE: null,
};

/**
 * The rule a user's bucket starts with before the database has said which plan applies: the
 * largest, so a new user is never refused for a limit that is not theirs (see `userRateLimit`).
 */
export const NEW_USER_LIMIT: RateRule = API_LIMITS_PER_PLAN.ENTERPRISE;

/**
 * Unauthenticated requests per client IP: token refresh, health, the OpenAPI document and the
 * docs page. Fails open: these guard cost, not credentials (a refresh token is 256 random bits).
 */
export const PUBLIC_IP_LIMIT: RateRule = {
  bucket: 'api',
  limit: 300,
  windowSeconds: FIFTEEN_MINUTES,
  whenUnavailable: 'allow',
};

/**
 * Credential endpoints (login, register, accept-invite) per client IP. Looser than the
 * per-account lockout (5 failures) so one person mistyping is stopped by the lockout, while a
 * sweep over many accounts from one address is stopped here. Fails closed: an unreachable limiter
 * must not open unlimited password guessing.
 */
export const AUTH_IP_LIMIT: RateRule = {
  bucket: 'auth',
  limit: 20,
  windowSeconds: FIFTEEN_MINUTES,
  whenUnavailable: 'refuse',
};

/** Retry-After (seconds) when a fail-closed limit cannot be checked. */
export const LIMITER_UNAVAILABLE_RETRY_SECONDS = 30;

export function scaled(rule: RateRule, multiplier: number): RateRule {
  return { ...rule, limit: Math.max(1, Math.round(rule.limit * multiplier)) };
}

export function parseMultiplier(raw: string | undefined): number {
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? n : 1;
}
