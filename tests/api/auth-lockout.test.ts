import { env } from 'cloudflare:workers';
import { and, eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { activityLog, authThrottles, refreshTokens, users } from '../../src/db/schema';
import {
  ACCOUNT_CEILING,
  lockSecondsFor,
  loginThrottleKeys,
  PASSWORD_GUESSES,
} from '../../src/services/auth/throttle';
import { api, registerAccount, testDb, uniqueEmail, uniqueIp } from './harness';

const WRONG = 'Wr0ng!Password';

interface Envelope {
  error: { code: string; message: string; details?: unknown; requestId: string };
}

// Each test uses its own client address so the per-IP auth limit never interferes.
function loginAs(ip: string) {
  return (email: string, password: string) =>
    api('/api/auth/login', {
      method: 'POST',
      json: { email, password },
      headers: { 'cf-connecting-ip': ip },
    });
}

/** The (email, network) counter, or the account-wide one, as stored. */
async function counter(email: string, ip: string, which: 'network' | 'account' = 'network') {
  const [perNetwork, accountWide] = await loginThrottleKeys(env, { email, ip });
  const key = which === 'network' ? perNetwork! : accountWide!;
  const [row] = await testDb()
    .select()
    .from(authThrottles)
    .where(
      and(
        eq(authThrottles.scope, key.scope),
        eq(authThrottles.subject, key.subject),
        eq(authThrottles.network, key.network),
      ),
    );
  return { row, where: { scope: key.scope, subject: key.subject, network: key.network } };
}

function sameKey(where: { scope: 'login' | 'password_change'; subject: string; network: string }) {
  return and(
    eq(authThrottles.scope, where.scope),
    eq(authThrottles.subject, where.subject),
    eq(authThrottles.network, where.network),
  );
}

async function auditCount(userId: string, action: string) {
  const rows = await testDb()
    .select()
    .from(activityLog)
    .where(and(eq(activityLog.userId, userId), eq(activityLog.action, action)));
  return rows.length;
}

afterEach(() => vi.restoreAllMocks());

describe('account lockout after failed logins', () => {
  it('locks after 5 failures within 15 minutes: further attempts get 429 with Retry-After', async () => {
    const a = await registerAccount();
    const ip = uniqueIp();
    const login = loginAs(ip);
    const warn = vi.spyOn(console, 'warn');
    for (let i = 1; i <= 4; i++) {
      expect((await login(a.email, WRONG)).status).toBe(401);
      expect((await counter(a.email, ip)).row?.attempts).toBe(i);
    }
    expect((await login(a.email, WRONG)).status).toBe(401);
    const { row: locked } = await counter(a.email, ip);
    expect(locked?.lockoutCount).toBe(1);
    expect(locked?.lockedUntil).toBeInstanceOf(Date);

    // Even the right password is refused while locked.
    const res = await login(a.email, a.password);
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(15 * 60 - 30);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    const body = (await res.json()) as Envelope;
    expect(body.error.code).toBe('RATE_LIMITED');

    // The lockout is logged by user id (never by email) and audited.
    const lines = warn.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('account locked'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(a.body.user.id);
    expect(lines[0]).not.toContain(a.email);
    const audit = await testDb()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.userId, a.body.user.id), eq(activityLog.action, 'auth.lockout')));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ scope: 'network', lockoutCount: 1, lockSeconds: 900 });
  });

  it('grows the wait on repeated lockouts: 15 min × 2^(n-1), capped at a day', async () => {
    expect([1, 2, 3, 4].map(lockSecondsFor)).toEqual([900, 1800, 3600, 7200]);
    expect(lockSecondsFor(20)).toBe(24 * 60 * 60);

    const a = await registerAccount();
    const ip = uniqueIp();
    const login = loginAs(ip);
    for (let i = 0; i < 5; i++) await login(a.email, WRONG);
    // Let the first lock expire without a successful login.
    const { where } = await counter(a.email, ip);
    await testDb()
      .update(authThrottles)
      .set({ lockedUntil: sql`now() - interval '1 second'` })
      .where(sameKey(where));
    for (let i = 0; i < 5; i++) expect((await login(a.email, WRONG)).status).toBe(401);
    expect((await counter(a.email, ip)).row?.lockoutCount).toBe(2);
    const res = await login(a.email, a.password);
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(30 * 60 - 30);
    expect(retryAfter).toBeLessThanOrEqual(30 * 60);
  });

  it('counts only failures inside the 15-minute window', async () => {
    const a = await registerAccount();
    const ip = uniqueIp();
    const login = loginAs(ip);
    expect((await login(a.email, WRONG)).status).toBe(401);
    const { where } = await counter(a.email, ip);
    await testDb()
      .update(authThrottles)
      .set({ attempts: 4, windowStartedAt: sql`now() - interval '16 minutes'` })
      .where(sameKey(where));
    expect((await login(a.email, WRONG)).status).toBe(401);
    const { row } = await counter(a.email, ip);
    expect(row?.attempts).toBe(1);
    expect(row?.lockedUntil).toBeNull();
    expect((await login(a.email, a.password)).status).toBe(200);
  });

  it("clears the network's counter after a successful login", async () => {
    const a = await registerAccount();
    const ip = uniqueIp();
    const login = loginAs(ip);
    for (let i = 0; i < 3; i++) await login(a.email, WRONG);
    expect((await counter(a.email, ip)).row?.attempts).toBe(3);
    expect((await login(a.email, a.password)).status).toBe(200);
    expect((await counter(a.email, ip)).row).toBeUndefined();
    // The account-wide counter only runs out with its window: it saw all four attempts.
    expect((await counter(a.email, ip, 'account')).row?.attempts).toBe(4);
  });
});

describe('a parallel burst of guesses (attempts are counted before the password is checked)', () => {
  it('gets at most 5 password checks out of 20 concurrent wrong logins', async () => {
    const a = await registerAccount();
    const login = loginAs(uniqueIp());
    const burst = await Promise.all(Array.from({ length: 20 }, () => login(a.email, WRONG)));
    const statuses = burst.map((r) => r.status);
    // A 401 is a password that was checked; a 429 was refused before any check.
    expect(statuses.filter((s) => s === 401)).toHaveLength(PASSWORD_GUESSES.limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - PASSWORD_GUESSES.limit);
    expect(await auditCount(a.body.user.id, 'auth.login_failed')).toBe(PASSWORD_GUESSES.limit);
    expect(await auditCount(a.body.user.id, 'auth.lockout')).toBe(1);

    // Locked: the right password is refused too, and nothing about the account changed.
    expect((await login(a.email, a.password)).status).toBe(429);
    const [user] = await testDb().select().from(users).where(eq(users.id, a.body.user.id));
    expect(user!.lastLoginAt).toBeNull();
    const sessions = await testDb()
      .select()
      .from(refreshTokens)
      .where(eq(refreshTokens.userId, a.body.user.id));
    expect(sessions).toHaveLength(1);
  });
});

describe('no account enumeration through the lockout', () => {
  it('answers an unknown email exactly like a real account: 401 five times, then the same 429', async () => {
    const a = await registerAccount();
    const known = loginAs(uniqueIp());
    const unknown = loginAs(uniqueIp());
    const nobody = uniqueEmail('nobody');
    const answer = async (res: Response) => {
      const { code, message, details } = ((await res.json()) as Envelope).error;
      // Retry-After (header and details) is compared with a tolerance below: the two locks
      // start a password check apart.
      const { retryAfter: _seconds, ...rest } = (details ?? {}) as { retryAfter?: number };
      return {
        status: res.status,
        error: { code, message, details: rest },
        retryAfter: Number(res.headers.get('retry-after') ?? 0),
      };
    };
    const knownAnswers = [];
    const unknownAnswers = [];
    for (let i = 0; i < 6; i++) {
      knownAnswers.push(await answer(await known(a.email, WRONG)));
      unknownAnswers.push(await answer(await unknown(nobody, WRONG)));
    }
    expect(knownAnswers.map((x) => x.status)).toEqual([401, 401, 401, 401, 401, 429]);
    for (let i = 0; i < 6; i++) {
      expect(unknownAnswers[i]!.status).toBe(knownAnswers[i]!.status);
      expect(unknownAnswers[i]!.error).toEqual(knownAnswers[i]!.error);
      expect(Math.abs(unknownAnswers[i]!.retryAfter - knownAnswers[i]!.retryAfter)).toBeLessThanOrEqual(2);
    }
    expect(knownAnswers[5]!.error.message).not.toMatch(/login|account/i);
  });
});

describe('no targeted lockout: the counter is per account and client network', () => {
  it('a lock from one IPv4 address does not stop the owner signing in from another', async () => {
    const a = await registerAccount();
    const attacker = loginAs(uniqueIp());
    for (let i = 0; i < 5; i++) expect((await attacker(a.email, WRONG)).status).toBe(401);
    expect((await attacker(a.email, a.password)).status).toBe(429);
    expect((await loginAs(uniqueIp())(a.email, a.password)).status).toBe(200);
  });

  it('an IPv6 /64 is one network: rotating addresses inside it does not reset the count', async () => {
    const a = await registerAccount();
    const hex = () => crypto.getRandomValues(new Uint16Array(1))[0]!.toString(16);
    const prefix = `2001:db8:${hex()}:${hex()}`;
    for (let i = 1; i <= 5; i++) {
      expect((await loginAs(`${prefix}::${i}`)(a.email, WRONG)).status).toBe(401);
    }
    expect((await loginAs(`${prefix}:0:0:0:ff`)(a.email, a.password)).status).toBe(429);
    expect((await loginAs(`${prefix.toUpperCase()}:1::1`)(a.email, a.password)).status).toBe(429);
    expect((await loginAs(`2001:db8:${hex()}:${hex()}::1`)(a.email, a.password)).status).toBe(200);
  });

  it('an account-wide ceiling bounds guessing spread over many networks, then locks every network', async () => {
    const a = await registerAccount();
    const first = uniqueIp();
    expect((await loginAs(first)(a.email, WRONG)).status).toBe(401);
    const { where } = await counter(a.email, first, 'account');
    // As if guesses had come from many other addresses within the window.
    await testDb()
      .update(authThrottles)
      .set({ attempts: ACCOUNT_CEILING.limit - 1 })
      .where(sameKey(where));
    expect((await loginAs(uniqueIp())(a.email, WRONG)).status).toBe(401);
    const locked = await loginAs(uniqueIp())(a.email, a.password);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(15 * 60 - 30);
    const audit = await testDb()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.userId, a.body.user.id), eq(activityLog.action, 'auth.lockout')));
    expect(audit.map((r) => r.details)).toEqual([{ scope: 'account', lockoutCount: 1, lockSeconds: 900 }]);
  });
});
