import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type ClientSubject, clientLimiter } from '../../durable-objects/client-rate-limiter';
import { tenants, users } from '../../src/db/schema';
import worker from '../../src/index';
import { clientRateLimitMiddleware } from '../../src/middleware/client-rate-limit';
import {
  API_LIMITS_PER_PLAN,
  AUTH_IP_LIMIT,
  type ClientRateLimits,
  LIMITER_UNAVAILABLE_RETRY_SECONDS,
  type LimitResult,
  type RateRule,
} from '../../src/middleware/client-rate-limits';
import { requestContext } from '../../src/middleware/request-context';
import { protectedRoute } from '../../src/routes/protected-route';
import { createRouter } from '../../src/routes/router';
import {
  api,
  createTenant,
  registerAccount,
  STRONG_PASSWORD,
  type TestUser,
  testDb,
  uniqueEmail,
  uniqueIp,
} from './harness';

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
  app.post('/public-probe', limits.ipRateLimit, (c) => c.json({ ok: true }, 200));
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

  it('when the stand-in is unreachable, each rule decides: the public limit fails open, the credential limit closed', async () => {
    answer = new Error('limiter unreachable');
    const open = await call('/public-probe', { 'cf-connecting-ip': uniqueIp() });
    expect(open.status).toBe(200);
    expect(calls).toHaveLength(1);
    expect(open.headers.get('ratelimit-limit')).toBeNull();
    const closed = await call('/login-probe', { 'cf-connecting-ip': uniqueIp() });
    expect(closed.status).toBe(503);
    expect(calls).toHaveLength(1);
    expect(closed.headers.get('retry-after')).toBe(String(LIMITER_UNAVAILABLE_RETRY_SECONDS));
  });
});

/** Calls the Worker entry with some bindings replaced. */
async function withBindings(
  bindings: Partial<typeof env>,
  path: string,
  init: RequestInit<IncomingRequestCfProperties> = {},
) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://api.test${path}`, init), { ...env, ...bindings }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** A limiter binding whose every call fails, as when the Durable Object cannot be reached. */
const unreachableLimiter = {
  idFromName: () => ({}),
  get: () => {
    const down = () => Promise.reject(new Error('limiter unreachable'));
    return { acquire: down, acquireWithStoredRule: down };
  },
} as unknown as typeof env.CLIENT_RATE_LIMITER;

const unreachableDatabase = {
  ...env.HYPERDRIVE,
  connectionString: 'postgres://postgres:postgres@127.0.0.1:1/postgres',
} as typeof env.HYPERDRIVE;

async function userRow(id: string) {
  const [row] = await testDb().select().from(users).where(eq(users.id, id));
  return row;
}

describe('per-IP limits on every public route (the real routes)', () => {
  const publicRoutes: { path: string; init?: RequestInit; bucket: string }[] = [
    { path: '/api/health', bucket: 'api' },
    { path: '/api/openapi.json', bucket: 'api' },
    { path: '/api/docs', bucket: 'api' },
    { path: '/api/auth/refresh', init: { method: 'POST', body: '{"refreshToken":"x"}' }, bucket: 'api' },
    { path: '/api/auth/login', init: { method: 'POST', body: '{}' }, bucket: 'auth' },
    { path: '/api/auth/register', init: { method: 'POST', body: '{}' }, bucket: 'auth' },
    { path: '/api/auth/accept-invite', init: { method: 'POST', body: '{}' }, bucket: 'auth' },
  ];

  for (const route of publicRoutes) {
    it(`${route.init?.method ?? 'GET'} ${route.path}: counted per IP, 429 in the envelope once spent`, async () => {
      const ip = uniqueIp();
      const send = (from: string) =>
        api(route.path, {
          ...route.init,
          headers: { 'cf-connecting-ip': from, 'content-type': 'application/json' },
        });
      const first = await send(ip);
      expect(first.status).not.toBe(429);
      expect(first.headers.get('ratelimit-limit')).toBeTruthy();
      await emptyBucket({ kind: 'ip', id: ip }, route.bucket);
      const refused = await send(ip);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBeTruthy();
      const body = (await refused.json()) as { error: { code: string; requestId: string } };
      expect(body.error.code).toBe('RATE_LIMITED');
      expect(body.error.requestId).toBeTruthy();
      expect((await send(uniqueIp())).status).not.toBe(429);
    });
  }

  it('refuses before the password check: a limited login changes nothing on the account', async () => {
    const account = await registerAccount();
    const ip = uniqueIp();
    const login = () =>
      api('/api/auth/login', {
        method: 'POST',
        json: { email: account.email, password: 'Wr0ng!Password' },
        headers: { 'cf-connecting-ip': ip },
      });
    expect((await login()).status).toBe(401);
    const before = await userRow(account.user.id);
    await emptyBucket({ kind: 'ip', id: ip }, 'auth');
    expect((await login()).status).toBe(429);
    expect(await userRow(account.user.id)).toEqual(before);
  });

  it('counts IPv6 clients per /64 and IPv4 clients per address', async () => {
    const [a, b] = crypto.getRandomValues(new Uint16Array(2));
    const prefix = `2001:db8:${a!.toString(16)}:${b!.toString(16)}`;
    const nextPrefix = `2001:db8:${a!.toString(16)}:${((b! + 1) % 0x10000).toString(16)}`;
    const login = (from: string) =>
      api('/api/auth/login', {
        method: 'POST',
        json: { email: 'nobody@test.sellerpulse.dev', password: 'Wr0ng!Password' },
        headers: { 'cf-connecting-ip': from },
      });
    expect((await login(`${prefix}::1`)).status).toBe(401);
    await emptyBucket({ kind: 'ip', id: `${prefix}::/64` }, 'auth');
    // Another address of the same /64, written out in full and in upper case.
    expect((await login(`${prefix.toUpperCase()}:ffff:0:0:00ab`)).status).toBe(429);
    expect((await login(`${nextPrefix}::1`)).status).toBe(401);

    const ip = uniqueIp();
    expect((await login(ip)).status).toBe(401);
    await emptyBucket({ kind: 'ip', id: ip }, 'auth');
    expect((await login(ip)).status).toBe(429);
    const neighbour = ip.replace(/\.(\d+)$/, (_, last: string) => `.${(Number(last) + 1) % 256}`);
    expect((await login(neighbour)).status).toBe(401);
  });
});

describe('when the limiter cannot be reached (a broken binding, the real routes)', () => {
  it('credential endpoints fail closed: 503 with Retry-After, and nothing happens', async () => {
    const account = await registerAccount();
    const before = await userRow(account.user.id);
    const login = await withBindings({ CLIENT_RATE_LIMITER: unreachableLimiter }, '/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': uniqueIp() },
      body: JSON.stringify({ email: account.email, password: account.password }),
    });
    expect(login.status).toBe(503);
    expect(login.headers.get('retry-after')).toBe(String(LIMITER_UNAVAILABLE_RETRY_SECONDS));
    expect(((await login.json()) as { error: { code: string } }).error.code).toBe('SERVICE_UNAVAILABLE');
    expect(await userRow(account.user.id)).toEqual(before);

    const email = uniqueEmail('closed');
    const register = await withBindings({ CLIENT_RATE_LIMITER: unreachableLimiter }, '/api/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': uniqueIp() },
      body: JSON.stringify({
        email,
        password: STRONG_PASSWORD,
        fullName: 'Closed',
        companyName: 'Closed Co',
      }),
    });
    expect(register.status).toBe(503);
    expect(await testDb().select().from(users).where(eq(users.email, email))).toEqual([]);
  });

  it('cost limits fail open: token refresh, health and authenticated requests still answer', async () => {
    const account = await registerAccount();
    const refresh = await withBindings({ CLIENT_RATE_LIMITER: unreachableLimiter }, '/api/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': uniqueIp() },
      body: JSON.stringify({ refreshToken: account.body.tokens.refreshToken }),
    });
    expect(refresh.status).toBe(200);
    const tenant = await withBindings({ CLIENT_RATE_LIMITER: unreachableLimiter }, '/api/tenant', {
      headers: account.user.headers,
    });
    expect(tenant.status).toBe(200);
    expect(tenant.headers.get('ratelimit-limit')).toBeNull();
    const health = await withBindings({ CLIENT_RATE_LIMITER: unreachableLimiter }, '/api/health');
    expect(health.status).toBe(200);
  });
});

describe('the per-user limit runs before the user lookup', () => {
  it('a throttled user is refused without a database read (429 even with the database down)', async () => {
    const t = await createTenant();
    expect((await api('/api/tenant', { as: t.owner })).status).toBe(200);
    // Control: with the database down, a user with tokens left reaches the lookup and fails.
    const reached = await withBindings({ HYPERDRIVE: unreachableDatabase }, '/api/tenant', {
      headers: t.owner.headers,
    });
    expect(reached.status).toBe(500);
    await emptyBucket({ kind: 'user', id: t.owner.id }, 'api');
    const refused = await withBindings({ HYPERDRIVE: unreachableDatabase }, '/api/tenant', {
      headers: t.owner.headers,
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('ratelimit-limit')).toBe(String(300 * MULTIPLIER));
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
  });

  it('a plan change applies from the next request (the stored rule follows the plan)', async () => {
    const t = await createTenant({ plan: 'STARTER' });
    const first = await api('/api/tenant', { as: t.owner });
    expect(first.headers.get('ratelimit-limit')).toBe(String(100 * MULTIPLIER));
    await testDb().update(tenants).set({ plan: 'ENTERPRISE' }).where(eq(tenants.id, t.id));
    const upgraded = await api('/api/tenant', { as: t.owner });
    expect(upgraded.status).toBe(200);
    expect(upgraded.headers.get('ratelimit-limit')).toBe(String(1000 * MULTIPLIER));
    const next = await api('/api/tenant', { as: t.owner });
    expect(next.headers.get('ratelimit-limit')).toBe(String(1000 * MULTIPLIER));
  });
});
