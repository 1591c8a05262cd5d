import { messageOf } from '../lib/errors';
import { AmazonError, describeAmazonBody, QuotaWaitError } from './errors';
import type { Priority } from './quota';

/** Hands out LWA access tokens; `force` drops a cached one Amazon refused. Throws AmazonError. */
export interface AccessTokenSource {
  get(force?: boolean): Promise<string>;
}

/** The per-seller quota: asked before every call, told about every answer. */
export interface QuotaGate {
  acquire(operation: string, priority: Priority): Promise<{ granted: boolean; waitMs: number }>;
  observe(observation: { operation: string; status: number; rateLimit?: string | null }): Promise<void>;
}

export interface RetryPolicy {
  /** Attempts after the first for 429, 5xx and network errors. */
  maxRetries: number;
  /** Backoff base and cap (full jitter): delay = random(0, min(cap, base * 2^attempt)). */
  baseMs: number;
  capMs: number;
  /** Longest the client sleeps for a quota token; beyond it the caller gets a QuotaWaitError. */
  maxWaitMs: number;
  /**
   * Longest one attempt may take, response body included; then it is aborted and retried like a
   * 5xx. Without it a hung connection would hold a queue consumer until the platform kills it.
   */
  timeoutMs: number;
}

/** SP-API and Ads calls answer within seconds; 30 s of silence means the attempt is lost. */
export const AMAZON_CALL_TIMEOUT_MS = 30_000;

export const DEFAULT_RETRY: RetryPolicy = {
  maxRetries: 5,
  baseMs: 500,
  capMs: 20_000,
  maxWaitMs: 20_000,
  timeoutMs: AMAZON_CALL_TIMEOUT_MS,
};

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const backoffMs = (policy: RetryPolicy, attempt: number): number =>
  Math.round(Math.random() * Math.min(policy.capMs, policy.baseMs * 2 ** attempt));

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
}

export function buildUrl(base: string, path: string, query: ApiRequest['query'] = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    // Amazon's list parameters are comma-separated (marketplaceIds=A,B).
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const qs = params.toString();
  return `${base.replace(/\/$/, '')}${path}${qs ? `?${qs}` : ''}`;
}

/** Retry-After in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

interface CallOptions {
  operation: string;
  priority: Priority;
  gate: QuotaGate;
  policy: RetryPolicy;
  send: (accessToken: string, signal: AbortSignal) => Promise<Response>;
  tokens: AccessTokenSource;
  wait?: (ms: number) => Promise<void>;
}

/** Waits for the limiter's token; returns the time waited so far, or throws when it is too long. */
async function takeQuota(opts: CallOptions, wait: (ms: number) => Promise<void>, waitedMs: number) {
  for (;;) {
    const grant = await opts.gate.acquire(opts.operation, opts.priority);
    if (grant.granted) return waitedMs;
    if (grant.waitMs > opts.policy.maxWaitMs || waitedMs + grant.waitMs > opts.policy.maxWaitMs * 3)
      throw new QuotaWaitError(opts.operation, grant.waitMs);
    waitedMs += grant.waitMs;
    await wait(grant.waitMs);
  }
}

/** One attempt: Amazon's response, or why a network error or the timeout ended it. */
async function attempt(opts: CallOptions, token: string): Promise<Response | { failed: string }> {
  const signal = AbortSignal.timeout(opts.policy.timeoutMs);
  try {
    return await opts.send(token, signal);
  } catch (err) {
    return {
      failed: signal.aborted
        ? `timed out after ${opts.policy.timeoutMs} ms`
        : `network error: ${messageOf(err)}`,
    };
  }
}

/** The delay before retrying a 429 or 5xx, or the error that ends the call. */
async function retryDelay(opts: CallOptions, res: Response, attempts: number): Promise<number> {
  const detail = describeAmazonBody(await res.json().catch(() => null));
  if (attempts >= opts.policy.maxRetries) {
    throw new AmazonError(
      'transient',
      `${opts.operation}: Amazon answered ${res.status} ${attempts + 1} times (${detail})`,
      res.status,
      retryAfterMs(res.headers) ?? opts.policy.baseMs * 2 ** attempts,
    );
  }
  const delay = retryAfterMs(res.headers) ?? backoffMs(opts.policy, attempts);
  if (delay > opts.policy.maxWaitMs) throw new QuotaWaitError(opts.operation, delay);
  return delay;
}

/** A 4xx that retrying cannot fix: access denied (after one token refresh) or a permanent refusal. */
function refusal(opts: CallOptions, status: number, detail: string): AmazonError {
  if (status === 401 || status === 403)
    return new AmazonError('auth', `${opts.operation}: access denied (${detail})`, status);
  return new AmazonError('permanent', `${opts.operation}: Amazon answered ${status} (${detail})`, status);
}

/**
 * One Amazon call with the shared quota and bounded retries: waits for the limiter's token,
 * retries 429 (after draining the bucket, honouring Retry-After) and 5xx / network errors /
 * timeouts with jittered exponential backoff, refreshes the access token once on 401/403, and
 * fails fast on any other 4xx. `send` must pass `signal` to fetch: it aborts the attempt after
 * `policy.timeoutMs`, including the caller's read of the body.
 */
export async function callWithRetries(opts: CallOptions): Promise<Response> {
  const wait = opts.wait ?? sleep;
  let attempts = 0;
  let refreshedToken = false;
  let waitedMs = 0;
  for (;;) {
    waitedMs = await takeQuota(opts, wait, waitedMs);
    const res = await attempt(opts, await opts.tokens.get());
    if ('failed' in res) {
      if (attempts >= opts.policy.maxRetries)
        throw new AmazonError('transient', `${opts.operation}: ${res.failed} (${attempts + 1} attempts)`);
      await wait(backoffMs(opts.policy, attempts++));
      continue;
    }
    const rateLimit = res.headers.get('x-amzn-ratelimit-limit');
    if (res.status === 429 || res.status >= 500 || rateLimit) {
      await opts.gate.observe({ operation: opts.operation, status: res.status, rateLimit });
    }
    if (res.ok) return res;
    if (res.status === 429 || res.status >= 500) {
      await wait(await retryDelay(opts, res, attempts++));
      continue;
    }
    const detail = describeAmazonBody(await res.json().catch(() => null));
    if ((res.status === 401 || res.status === 403) && !refreshedToken) {
      // An expired or revoked access token: get a new one once, then give up.
      refreshedToken = true;
      await opts.tokens.get(true);
      continue;
    }
    throw refusal(opts, res.status, detail);
  }
}
