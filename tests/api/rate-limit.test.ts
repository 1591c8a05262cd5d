import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { type ClientSubject, clientLimiter } from '../../durable-objects/client-rate-limiter';
import { clientRateLimitMiddleware } from '../../src/middleware/client-rate-limit';
import {
  API_LIMITS_PER_PLAN,
  AUTH_IP_LIMIT,
  type ClientRateLimits,
  type LimitResult,
  type RateRule,
} from '../../src/middleware/client-rate-limits';
import { requestContext } from '../../src/middleware/request-context';
import { protectedRoute } from '../../src/routes/protected-route';
import { createRouter } from '../../src/routes/router';
import { api, createTenant, registerAccount, type TestUser, uniqueIp } from './harness';

// tests/api/vitest.config.ts runs the Worker with RATE_LIMIT_MULTIPLIER=100.
const MULTIPLIER = 100;

/**
 * Empties a client's bucket and keeps it empty until the next request: the bucket refills at its
 * stored rate, which the cost-0 acquire sets to almost nothing, and the request puts the rule's rate
 * back. A drain alone refills in milliseconds at the test multiplier (33 tokens/s for the API
 * limit), which a loaded machine can spend between the drain and the request.
 */
async function emptyBucket(subject: ClientSubject, bucket: string): Promise<void> {
  const stub = clientLimiter(env, subject);
  const current = (await stub.state()).find((b) => b.bucket === bucket)!;
  await stub.acquire({ bucket, rate: 1e-9, burst: current.burst, cost: 0 });
  await stub.drain(bucket);
}

describe('client rate limits through the Worker entry', () => {
  it('sizes the per-user API limit by plan (PRD §5.3) and counts exactly', async () => {
    expect(API_LIMITS_PER_PLAN.STARTER).toMatchObject({ limit: 100, windowSeconds: 900 });
    expect(API_LIMITS_PER_PLAN.PRO.limit).toBe(300);
    expect(API_LIMITS_PER_PLAN.ENTERPRISE.limit).toBe(1000);
    for (const [plan, limit] of [
      ['STARTER', 100],
      ['PRO', 300],
      ['ENTERPRISE', 1000],
    ] as const) {
      const t = await createTenant({ plan });
      const first = await api('/api/tenant', { as: t.owner });
      const second = await api('/api/tenant', { as: t.owner });
      expect(first.headers.get('ratelimit-limit')).toBe(String(limit * MULTIPLIER));
      expect(Number(first.headers.get('ratelimit-remaining'))).toBe(limit * MULTIPLIER - 1);
      // The bucket refills continuously (limit per 15 minutes), so allow for a token trickling back.
      const remaining = Number(second.headers.get('ratelimit-remaining'));
      expect(remaining).toBeGreaterThanOrEqual(limit * MULTIPLIER - 2);
      expect(remaining).toBeLessThanOrEqual(limit * MULTIPLIER - 1);
      expect(Number(second.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    }
  });

  it('answers 429 with Retry-After and RateLimit-* headers once the user bucket is empty', async () => {
    const t = await createTenant();
    expect((await api('/api/tenant', { as: t.owner })).status).toBe(200);
    await emptyBucket({ kind: 'user', id: t.owner.id }, 'api');
    const res = await api('/api/tenant', { as: t.owner });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(res.headers.get('ratelimit-remaining')).toBe('0');
    expect(res.headers.get('ratelimit-limit')).toBe(String(300 * MULTIPLIER));
    const body = (await res.json()) as { error: { code: string } };
    expect(body.error.code).toBe('RATE_LIMITED');
    // Another user of the same tenant has their own bucket.
    const other = await t.addUser('viewer');
    expect((await api('/api/tenant', { as: other })).status).toBe(200);
  });

  it('limits credential endpoints per client IP, more strictly than the general limit', async () => {
    expect(AUTH_IP_LIMIT).toMatchObject({ limit: 20, windowSeconds: 900 });
    const ip = uniqueIp();
    const login = (from: string) =>
      api('/api/auth/login', {
        method: 'POST',
        json: { email: 'nobody@test.sellerpulse.dev', password: 'Wr0ng!Password' },
        headers: { 'cf-connecting-ip': from },
      });
    const first = await login(ip);
    expect(first.status).toBe(401);
    expect(first.headers.get('ratelimit-limit')).toBe(String(20 * MULTIPLIER));
    await emptyBucket({ kind: 'ip', id: ip }, 'auth');
    const blocked = await login(ip);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBeTruthy();
    // Register shares the same per-IP auth bucket.
    const reg = await api('/api/auth/register', {
      method: 'POST',
      json: {
        email: 'x@test.sellerpulse.dev',
        password: 'Str0ng!Passw0rd',
        fullName: 'Xx',
        companyName: 'Xx',
      },
      headers: { 'cf-connecting-ip': ip },
    });
    expect(reg.status).toBe(429);
    expect((await login(uniqueIp())).status).toBe(401);
  });

  it('limits token refresh per client IP with the general public limit', async () => {
    const a = await registerAccount();
    const ip = uniqueIp();
    const res = await api('/api/auth/refresh', {
      method: 'POST',
      json: { refreshToken: a.body.tokens.refreshToken },
      headers: { 'cf-connecting-ip': ip },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-limit')).toBe(String(300 * MULTIPLIER));
  });

  it('exposes the RateLimit headers to browsers through CORS', async () => {
    const t = await createTenant();
    const res = await api('/api/tenant', { as: t.owner, headers: { origin: 'http://localhost:3000' } });
    expect(res.headers.get('access-control-expose-headers')).toMatch(/RateLimit-Remaining/i);
  });
});

describe('limits trip by counting (multiplier lowered for one app instance)', () => {
  // A small app built from the same pieces as the Worker, so the env can carry a tiny multiplier.
  const app = createRouter();
  app.use('*', requestContext);
  app.onError((err, c) => {
    const status = (err as { status?: number }).status ?? 500;
    for (const [k, v] of Object.entries((err as { headers?: Record<string, string> }).headers ?? {}))
      c.header(k, v);
    return c.json({ error: err.message }, status as 429);
  });
  app.openapi(
    protectedRoute({
      method: 'get',
      path: '/probe',
      permissions: [],
      responses: {
        200: {
          description: 'ok',
          content: { 'application/json': { schema: z.object({ ok: z.boolean() }) } },
        },
      },
    }),
    (c) => c.json({ ok: true }, 200),
  );

  async function call(user: TestUser, multiplier: string, path = '/probe') {
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request(`http://api.test${path}`, { method: 'GET', headers: user.headers }),
      { ...env, RATE_LIMIT_MULTIPLIER: multiplier },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return res;
  }

  it('the per-user API limit trips after exactly `limit` requests', async () => {
    const t = await createTenant({ plan: 'STARTER' });
    // STARTER 100 × 0.03 = 3 requests.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(t.owner, '0.03', '/probe')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});

describe('the ClientRateLimiter Durable Object', () => {
  it('counts exactly per bucket, drains and reports its buckets', async () => {
    const rl = clientLimiter(env, { kind: 'user', id: crypto.randomUUID() });
    const req = { bucket: 'login', rate: 1, burst: 2 };
    expect((await rl.acquire(req)).granted).toBe(true);
    expect((await rl.acquire(req)).granted).toBe(true);
    const refused = await rl.acquire(req);
    expect(refused).toMatchObject({ granted: false, remaining: 0, limit: 2 });
    // One token short at 1 token/s; the bucket is full again two tokens later.
    expect(refused.waitMs).toBeGreaterThan(0);
    expect(refused.waitMs).toBeLessThanOrEqual(1000);
    expect(refused.resetMs).toBeGreaterThan(1000);
    expect(refused.resetMs).toBeLessThanOrEqual(2000);
    // Another rule's bucket for the same subject is untouched.
    expect((await rl.acquire({ ...req, bucket: 'api' })).granted).toBe(true);
    await rl.drain('login');
    const state = await rl.state();
    expect(state.map((b) => b.bucket)).toEqual(['api', 'login']);
    expect(state.find((b) => b.bucket === 'login')!.tokens).toBeLessThan(1);
  });

  it('keeps one object per subject: a user, an IP and a tenant with the same id do not share', async () => {
    const id = crypto.randomUUID();
    const req = { bucket: 'api', rate: 0.001, burst: 1 };
    expect((await clientLimiter(env, { kind: 'user', id }).acquire(req)).granted).toBe(true);
    expect((await clientLimiter(env, { kind: 'user', id }).acquire(req)).granted).toBe(false);
    expect((await clientLimiter(env, { kind: 'ip', id }).acquire(req)).granted).toBe(true);
    expect((await clientLimiter(env, { kind: 'tenant', id }).acquire(req)).granted).toBe(true);
  });
});

describe('client limits behind the ClientRateLimits interface (a stand-in instead of the Durable Object)', () => {
  const calls: { subject: ClientSubject; rule: RateRule }[] = [];
  let answer: LimitResult | Error = { granted: true, waitMs: 0, remaining: 0, resetMs: 0 };
  const standIn: ClientRateLimits = {
    async limit(subject, rule) {
      calls.push({ subject, rule });
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  const limits = clientRateLimitMiddleware(() => standIn);
  const app = createRouter();
  app.use('*', requestContext);
  app.onError((err, c) => {
    const status = (err as { status?: number }).status ?? 500;
    for (const [k, v] of Object.entries((err as { headers?: Record<string, string> }).headers ?? {}))
      c.header(k, v);
    return c.json({ error: err.message }, status as 429);
  });
  app.post('/login-probe', limits.authRateLimit, (c) => c.json({ ok: true }, 200));
  async function call(path: string, headers: Record<string, string>, multiplier = '1') {
    calls.length = 0;
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request(`http://api.test${path}`, { method: 'POST', headers }),
      { ...env, RATE_LIMIT_MULTIPLIER: multiplier },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return res;
  }

  it('asks the stand-in with the subject and the scaled rule, and shapes its answer into headers', async () => {
    const ip = uniqueIp();
    answer = { granted: true, waitMs: 0, remaining: 39, resetMs: 22_500 };
    const res = await call('/login-probe', { 'cf-connecting-ip': ip }, '2');
    expect(res.status).toBe(200);
    expect(calls).toEqual([{ subject: { kind: 'ip', id: ip }, rule: { ...AUTH_IP_LIMIT, limit: 40 } }]);
    expect(res.headers.get('ratelimit-limit')).toBe('40');
    expect(res.headers.get('ratelimit-remaining')).toBe('39');
    expect(res.headers.get('ratelimit-reset')).toBe('23');

    answer = { granted: false, waitMs: 2_500, remaining: 0, resetMs: 900_000 };
    const refused = await call('/login-probe', { 'cf-connecting-ip': ip }, '2');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3');
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('ratelimit-reset')).toBe('900');
  });

  it('fails open when the limiter is unreachable', async () => {
    answer = new Error('limiter unreachable');
    const res = await call('/login-probe', { 'cf-connecting-ip': uniqueIp() });
    expect(res.status).toBe(200);
    expect(calls).toHaveLength(1);
    expect(res.headers.get('ratelimit-limit')).toBeNull();
  });
});
