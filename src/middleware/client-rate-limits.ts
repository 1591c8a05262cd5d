import type { Tenant } from '../db/schema/tenants';

type TenantPlan = Tenant['plan'];

/**
 * Client (abuse) rate limits, PRD §5.3, in one place. Each rule is an exact token bucket in the
 * RateLimiter Durable Object: `limit` requests at once, refilled evenly over `windowSeconds`.
 * `RATE_LIMIT_MULTIPLIER` (a plain var, default 1) scales every limit, e.g. for load tests.
 */
export interface RateRule {
  /** Bucket name inside the limiter object. */
  bucket: string;
  limit: number;
  windowSeconds: number;
}

const FIFTEEN_MINUTES = 15 * 60;
const HOUR = 60 * 60;

/** General API limit per authenticated user, by the tenant's plan. */
export const API_LIMITS_PER_PLAN: Record<TenantPlan, RateRule> = {
  STARTER: { bucket: 'api', limit: 100, windowSeconds: FIFTEEN_MINUTES },
  PRO: { bucket: 'api', limit: 300, windowSeconds: FIFTEEN_MINUTES },
  ENTERPRISE: { bucket: 'api', limit: 1000, windowSeconds: FIFTEEN_MINUTES },
};

/** Manual syncs (`sync.run` routes) per tenant; null means unlimited. */
export const SYNC_LIMITS_PER_PLAN: Record<TenantPlan, RateRule | null> = {
  STARTER: { bucket: 'sync', limit: 10, windowSeconds: HOUR },
  PRO: { bucket: 'sync', limit: 10, windowSeconds: HOUR },
  ENTERPRISE: null,
};

/** Unauthenticated requests per client IP (public endpoints such as token refresh). */
export const PUBLIC_IP_LIMIT: RateRule = { bucket: 'api', limit: 300, windowSeconds: FIFTEEN_MINUTES };

/**
 * Credential endpoints (login, register, accept-invite) per client IP. Looser than the
 * per-account lockout (5 failures) so one person mistyping is stopped by the lockout, while a
 * sweep over many accounts from one address is stopped here.
 */
export const AUTH_IP_LIMIT: RateRule = { bucket: 'auth', limit: 20, windowSeconds: FIFTEEN_MINUTES };

export function scaled(rule: RateRule, multiplier: number): RateRule {
  return { ...rule, limit: Math.max(1, Math.round(rule.limit * multiplier)) };
}

export function parseMultiplier(raw: string | undefined): number {
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? n : 1;
}

export function apiLimitFor(plan: string): RateRule {
  return API_LIMITS_PER_PLAN[plan as TenantPlan] ?? API_LIMITS_PER_PLAN.STARTER;
}

export function syncLimitFor(plan: string): RateRule | null {
  return plan in SYNC_LIMITS_PER_PLAN
    ? SYNC_LIMITS_PER_PLAN[plan as TenantPlan]
    : SYNC_LIMITS_PER_PLAN.STARTER;
}
