import { env, exports } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { activityLog, refreshTokens, users } from '../../src/db/schema';
import { withFailingInsert } from './db-faults';
import { api, createTenant, registerAccount, testDb, tokenFor, uniqueIp } from './harness';

interface Tokens {
  accessToken: string;
  refreshToken: string;
}
interface Envelope {
  error: { code: string; message: string };
}

const post = (path: string, json: unknown, headers: Record<string, string> = {}) =>
  api(path, { method: 'POST', json, headers: { 'cf-connecting-ip': uniqueIp(), ...headers } });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const refresh = (refreshToken: string, headers: Record<string, string> = {}) =>
  post('/api/auth/refresh', { refreshToken }, headers);

describe('POST /api/auth/refresh: rotation and reuse detection', () => {
  it('rotates: a refresh token works once and returns a new pair', async () => {
    const a = await registerAccount();
    const first = a.body.tokens.refreshToken;
    const res = await refresh(first);
    expect(res.status).toBe(200);
    const next = (await res.json()) as Tokens & { expiresIn: number };
    expect(next.refreshToken).not.toBe(first);
    expect(next.expiresIn).toBe(900);
    expect((await api('/api/auth/me', { headers: bearer(next.accessToken) })).status).toBe(200);

    const rows = await testDb().select().from(refreshTokens).where(eq(refreshTokens.userId, a.body.user.id));
    expect(rows).toHaveLength(2);
    const old = rows.find((r) => r.usedAt)!;
    const fresh = rows.find((r) => !r.usedAt)!;
    expect(old.replacedBy).toBe(fresh.id);
    expect(old.familyId).toBe(fresh.familyId);
    // 30 days.
    const days = (fresh.expiresAt.getTime() - fresh.createdAt.getTime()) / 86_400_000;
    expect(days).toBeCloseTo(30, 1);
  });

  it('revokes the whole family when a used token is presented again (401)', async () => {
    const a = await registerAccount();
    const stolen = a.body.tokens.refreshToken;
    const legit = (await (await refresh(stolen)).json()) as Tokens;

    const replay = await refresh(stolen);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as Envelope).error.message).toMatch(/reuse/i);
    // The legitimate descendant is dead too.
    expect((await refresh(legit.refreshToken)).status).toBe(401);
    const rows = await testDb().select().from(refreshTokens).where(eq(refreshTokens.userId, a.body.user.id));
    expect(rows.every((r) => r.revokedAt !== null)).toBe(true);
    const audit = await testDb().select().from(activityLog).where(eq(activityLog.userId, a.body.user.id));
    expect(audit.map((r) => r.action)).toContain('auth.refresh_reuse');
  });

  it('does not touch other logins of the same user when one family is revoked', async () => {
    const a = await registerAccount();
    const other = (await (
      await post('/api/auth/login', { email: a.email, password: a.password })
    ).json()) as {
      tokens: Tokens;
    };
    const stolen = a.body.tokens.refreshToken;
    await refresh(stolen);
    await refresh(stolen);
    expect((await refresh(other.tokens.refreshToken)).status).toBe(200);
  });

  it('refuses unknown, malformed and expired refresh tokens', async () => {
    expect((await refresh('A'.repeat(43))).status).toBe(401);
    const malformed = await refresh('not a token');
    expect(malformed.status).toBe(400);
    const a = await registerAccount();
    await testDb()
      .update(refreshTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(refreshTokens.userId, a.body.user.id));
    const expired = await refresh(a.body.tokens.refreshToken);
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as Envelope).error.message).toMatch(/expired/);
  });

  it('racing refreshes of one token: exactly one wins, and reuse detection leaves no token of the family alive', async () => {
    const a = await registerAccount();
    const token = a.body.tokens.refreshToken;
    const race = await Promise.all(Array.from({ length: 8 }, () => refresh(token)));
    const winners = race.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(race.filter((r) => r.status === 401)).toHaveLength(7);
    const won = (await winners[0]!.json()) as Tokens;
    // The losers presented a used token: the family, including the winner's new token, is revoked.
    expect((await refresh(won.refreshToken)).status).toBe(401);
    const family = await testDb()
      .select()
      .from(refreshTokens)
      .where(eq(refreshTokens.userId, a.body.user.id));
    expect(family).toHaveLength(2);
    expect(family.every((r) => r.revokedAt !== null)).toBe(true);
  });

  it('a failure between claiming the token and issuing the next one spends nothing: the retry works', async () => {
    const a = await registerAccount();
    const marker = `fail-${crypto.randomUUID()}`;
    await withFailingInsert({ table: 'refresh_tokens', column: 'user_agent', marker }, async () => {
      const failed = await refresh(a.body.tokens.refreshToken, { 'user-agent': marker });
      expect(failed.status).toBe(500);
    });
    const [row] = await testDb().select().from(refreshTokens).where(eq(refreshTokens.userId, a.body.user.id));
    expect(row).toMatchObject({ usedAt: null, revokedAt: null, replacedBy: null });
    const retry = await refresh(a.body.tokens.refreshToken);
    expect(retry.status).toBe(200);
    expect((await refresh(((await retry.json()) as Tokens).refreshToken)).status).toBe(200);
  });

  it('refuses a refresh for a deactivated user', async () => {
    const a = await registerAccount();
    await testDb().update(users).set({ isActive: false }).where(eq(users.id, a.body.user.id));
    expect((await refresh(a.body.tokens.refreshToken)).status).toBe(401);
  });
});

describe('POST /api/auth/logout', () => {
  it('revokes the family of the presented refresh token', async () => {
    const a = await registerAccount();
    const rotated = (await (await refresh(a.body.tokens.refreshToken)).json()) as Tokens;
    const res = await api('/api/auth/logout', {
      method: 'POST',
      json: { refreshToken: rotated.refreshToken },
      headers: bearer(rotated.accessToken),
    });
    expect(res.status).toBe(200);
    expect((await refresh(rotated.refreshToken)).status).toBe(401);
  });

  it("cannot revoke another user's session", async () => {
    const a = await registerAccount();
    const b = await registerAccount();
    const res = await api('/api/auth/logout', {
      method: 'POST',
      json: { refreshToken: a.body.tokens.refreshToken },
      as: b.user,
    });
    expect(res.status).toBe(200);
    expect((await refresh(a.body.tokens.refreshToken)).status).toBe(200);
  });

  it('requires authentication and a well-formed body', async () => {
    expect((await post('/api/auth/logout', { refreshToken: 'A'.repeat(43) })).status).toBe(401);
    const a = await registerAccount();
    const res = await api('/api/auth/logout', { method: 'POST', json: {}, as: a.user });
    expect(res.status).toBe(400);
  });
});

describe('POST /api/auth/change-password', () => {
  it('revokes every refresh token and every access token issued before the change', async () => {
    const a = await registerAccount();
    const second = (await (
      await post('/api/auth/login', { email: a.email, password: a.password })
    ).json()) as {
      tokens: Tokens;
    };
    const newPassword = 'N3w!Password-2026';
    const res = await api('/api/auth/change-password', {
      method: 'POST',
      json: { currentPassword: a.password, newPassword },
      as: a.user,
    });
    expect(res.status).toBe(200);
    const fresh = ((await res.json()) as { tokens: Tokens }).tokens;

    // Old access tokens (even one issued within the same second) are refused; the new one works.
    const old = await api('/api/auth/me', { as: a.user });
    expect(old.status).toBe(401);
    expect(((await old.json()) as Envelope).error.message).toBe('Token revoked');
    expect((await api('/api/auth/me', { headers: bearer(second.tokens.accessToken) })).status).toBe(401);
    expect((await api('/api/auth/me', { headers: bearer(fresh.accessToken) })).status).toBe(200);
    // Every refresh token from before is dead; the new one rotates.
    expect((await refresh(a.body.tokens.refreshToken)).status).toBe(401);
    expect((await refresh(second.tokens.refreshToken)).status).toBe(401);
    expect((await refresh(fresh.refreshToken)).status).toBe(200);
    // The new password works, the old one does not.
    expect((await post('/api/auth/login', { email: a.email, password: newPassword })).status).toBe(200);
    expect((await post('/api/auth/login', { email: a.email, password: a.password })).status).toBe(401);
  });

  it('orders tokens against the change to the millisecond, and legacy tokens to the second', async () => {
    const t = await createTenant();
    const before = await tokenFor(t.owner);
    await new Promise((r) => setTimeout(r, 5));
    const changedAt = new Date();
    await testDb().update(users).set({ passwordChangedAt: changedAt }).where(eq(users.id, t.owner.id));
    await new Promise((r) => setTimeout(r, 5));
    const after = await tokenFor(t.owner);
    expect((await api('/api/auth/me', { headers: bearer(before) })).status).toBe(401);
    expect((await api('/api/auth/me', { headers: bearer(after) })).status).toBe(200);

    // Tokens without the millisecond claim: the change's second still counts as "after".
    const secret = new TextEncoder().encode(env.JWT_SECRET);
    const legacy = (iat: number) =>
      new SignJWT({ tid: t.id, role: 'owner' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(t.owner.id)
        .setIssuer(env.JWT_ISSUER)
        .setAudience(env.JWT_AUDIENCE)
        .setIssuedAt(iat)
        .setExpirationTime(iat + 900)
        .sign(secret);
    const second = Math.floor(changedAt.getTime() / 1000);
    expect((await api('/api/auth/me', { headers: bearer(await legacy(second)) })).status).toBe(200);
    expect((await api('/api/auth/me', { headers: bearer(await legacy(second - 1)) })).status).toBe(401);
  });

  it('refuses a wrong current password, a weak new one, and unknown fields (400)', async () => {
    const a = await registerAccount();
    const change = (json: unknown) => api('/api/auth/change-password', { method: 'POST', json, as: a.user });
    const wrong = await change({ currentPassword: 'Wr0ng!Password', newPassword: 'N3w!Password-2026' });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(await wrong.json())).toContain('json.currentPassword');
    expect((await change({ currentPassword: a.password, newPassword: 'weak' })).status).toBe(400);
    expect((await change({ currentPassword: a.password, newPassword: a.password })).status).toBe(400);
    expect(
      (await change({ currentPassword: a.password, newPassword: 'N3w!Password-2026', userId: a.user.id }))
        .status,
    ).toBe(400);
    expect((await api('/api/auth/me', { as: a.user })).status).toBe(200);
  });
});

describe('POST /api/auth/change-password: guessing the current password', () => {
  const WRONG = 'Wr0ng!Password';

  it('locks after 5 wrong current passwords: then even the right one gets 429 and nothing changes', async () => {
    const a = await registerAccount();
    const change = (currentPassword: string) =>
      api('/api/auth/change-password', {
        method: 'POST',
        json: { currentPassword, newPassword: 'N3w!Password-2026' },
        as: a.user,
      });
    const [before] = await testDb().select().from(users).where(eq(users.id, a.body.user.id));
    // A parallel burst is counted before any check: at most 5 guesses are verified.
    const burst = await Promise.all(Array.from({ length: 10 }, () => change(WRONG)));
    expect(burst.filter((r) => r.status === 400)).toHaveLength(5);
    expect(burst.filter((r) => r.status === 429)).toHaveLength(5);
    const locked = await change(a.password);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(15 * 60 - 30);
    expect(((await locked.json()) as Envelope).error.message).toMatch(/too many failed attempts/i);

    const [after] = await testDb().select().from(users).where(eq(users.id, a.body.user.id));
    expect(after!.passwordHash).toBe(before!.passwordHash);
    expect(after!.passwordChangedAt).toEqual(before!.passwordChangedAt);
    expect((await api('/api/auth/me', { as: a.user })).status).toBe(200);
    expect((await refresh(a.body.tokens.refreshToken)).status).toBe(200);
    const audit = await testDb()
      .select()
      .from(activityLog)
      .where(
        and(eq(activityLog.userId, a.body.user.id), eq(activityLog.action, 'auth.password_change_failed')),
      );
    expect(audit).toHaveLength(5);
    // Signing in still works: the change-password counter is its own.
    expect((await post('/api/auth/login', { email: a.email, password: a.password })).status).toBe(200);
  });

  it('a correct current password clears the count', async () => {
    const a = await registerAccount();
    const change = (currentPassword: string, newPassword: string) =>
      api('/api/auth/change-password', {
        method: 'POST',
        json: { currentPassword, newPassword },
        as: a.user,
      });
    for (let i = 0; i < 4; i++) expect((await change(WRONG, 'N3w!Password-2026')).status).toBe(400);
    const ok = await change(a.password, 'N3w!Password-2026');
    expect(ok.status).toBe(200);
    const fresh = ((await ok.json()) as { tokens: Tokens }).tokens;
    const again = (currentPassword: string) =>
      api('/api/auth/change-password', {
        method: 'POST',
        json: { currentPassword, newPassword: 'Th1rd!Password-2026' },
        headers: bearer(fresh.accessToken),
      });
    for (let i = 0; i < 4; i++) expect((await again(WRONG)).status).toBe(400);
    expect((await again('N3w!Password-2026')).status).toBe(200);
  });
});

describe('access tokens', () => {
  it('last 15 minutes, pin HS256 and carry user, tenant, role, iss and aud', async () => {
    const a = await registerAccount();
    const [header, payload] = a.body.tokens.accessToken
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(atob(part.replaceAll('-', '+').replaceAll('_', '/'))));
    expect(header.alg).toBe('HS256');
    expect(payload.exp - payload.iat).toBe(15 * 60);
    expect(payload).toMatchObject({
      sub: a.body.user.id,
      tid: a.body.tenant.id,
      role: 'owner',
      iss: env.JWT_ISSUER,
      aud: env.JWT_AUDIENCE,
    });
  });

  it('a demotion takes effect at once (the role is read from the database)', async () => {
    const t = await createTenant();
    const admin = await t.addUser('admin');
    expect((await api('/api/users', { as: admin })).status).toBe(200);
    await testDb().update(users).set({ role: 'viewer' }).where(eq(users.id, admin.id));
    expect((await api('/api/users', { as: admin })).status).toBe(403);
  });
});

describe('the demo seed flow (scripts/lib/seed-demo.mjs)', () => {
  it('registers, then logs in, through the API and gets an access token; a second run logs in', async () => {
    const { seedDemo } = (await import('../../scripts/lib/seed-demo.mjs' as string)) as {
      seedDemo: (o: { apiBase: string }) => Promise<{ accessToken?: string }>;
    };
    vi.stubGlobal('fetch', (url: string, init?: RequestInit) => exports.default.fetch(url, init));
    try {
      const first = await seedDemo({ apiBase: 'http://api.test' });
      const second = await seedDemo({ apiBase: 'http://api.test' });
      for (const run of [first, second]) {
        expect(run.accessToken).toBeTruthy();
        expect((await api('/api/auth/me', { headers: bearer(run.accessToken!) })).status).toBe(200);
      }
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
