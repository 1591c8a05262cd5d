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
}

/** The answer to one request: whether it may pass, and what the RateLimit-* headers report. */
export type LimitResult = Pick<AcquireResult, 'granted' | 'waitMs' | 'remaining' | 'resetMs'>;

/**
 * Where client limits are counted. The Worker uses the ClientRateLimiter Durable Object
 * (`durableClientLimits`); a test or another backend can stand in.
 */
export interface ClientRateLimits {
  /** Counts one request by `subject` against `rule`. */
  limit(subject: ClientSubject, rule: RateRule): Promise<LimitResult>;
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
