import { and, eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { activityLog, users } from '../../src/db/schema';
import { lockSecondsFor } from '../../src/services/auth/lockout';
import { api, registerAccount, testDb, uniqueIp } from './harness';

const WRONG = 'Wr0ng!Password';

// Each test uses its own client address so the per-IP auth limit never interferes.
function loginAs(ip: string) {
  return (email: string, password: string) =>
    api('/api/auth/login', {
      method: 'POST',
      json: { email, password },
      headers: { 'cf-connecting-ip': ip },
    });
}

async function userRow(id: string) {
  const [row] = await testDb().select().from(users).where(eq(users.id, id));
  return row!;
}

afterEach(() => vi.restoreAllMocks());

describe('account lockout after failed logins', () => {
  it('locks after 5 failures within 15 minutes: further attempts get 429 with Retry-After', async () => {
    const a = await registerAccount();
    const login = loginAs(uniqueIp());
    const warn = vi.spyOn(console, 'warn');
    for (let i = 1; i <= 4; i++) {
      expect((await login(a.email, WRONG)).status).toBe(401);
      expect((await userRow(a.body.user.id)).failedLoginCount).toBe(i);
    }
    expect((await login(a.email, WRONG)).status).toBe(401);
    const locked = await userRow(a.body.user.id);
    expect(locked.lockoutCount).toBe(1);
    expect(locked.lockedUntil).toBeInstanceOf(Date);

    // Even the right password is refused while locked.
    const res = await login(a.email, a.password);
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(15 * 60 - 30);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    const body = (await res.json()) as { error: { code: string } };
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
    expect(audit[0]!.details).toMatchObject({ lockoutCount: 1, lockSeconds: 900 });
  });

  it('grows the wait on repeated lockouts: 15 min × 2^(n-1), capped at a day', async () => {
    expect([1, 2, 3, 4].map(lockSecondsFor)).toEqual([900, 1800, 3600, 7200]);
    expect(lockSecondsFor(20)).toBe(24 * 60 * 60);

    const a = await registerAccount();
    const login = loginAs(uniqueIp());
    for (let i = 0; i < 5; i++) await login(a.email, WRONG);
    // Let the first lock expire without a successful login.
    await testDb()
      .update(users)
      .set({ lockedUntil: sql`now() - interval '1 second'` })
      .where(eq(users.id, a.body.user.id));
    for (let i = 0; i < 5; i++) expect((await login(a.email, WRONG)).status).toBe(401);
    const row = await userRow(a.body.user.id);
    expect(row.lockoutCount).toBe(2);
    const res = await login(a.email, a.password);
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(30 * 60 - 30);
    expect(retryAfter).toBeLessThanOrEqual(30 * 60);
  });

  it('counts only failures inside the 15-minute window', async () => {
    const a = await registerAccount();
    const login = loginAs(uniqueIp());
    await testDb()
      .update(users)
      .set({ failedLoginCount: 4, lastFailedLoginAt: sql`now() - interval '16 minutes'` })
      .where(eq(users.id, a.body.user.id));
    expect((await login(a.email, WRONG)).status).toBe(401);
    const row = await userRow(a.body.user.id);
    expect(row.failedLoginCount).toBe(1);
    expect(row.lockedUntil).toBeNull();
    expect((await login(a.email, a.password)).status).toBe(200);
  });

  it('clears the counters after a successful login', async () => {
    const a = await registerAccount();
    const login = loginAs(uniqueIp());
    for (let i = 0; i < 3; i++) await login(a.email, WRONG);
    expect((await login(a.email, a.password)).status).toBe(200);
    const row = await userRow(a.body.user.id);
    expect(row.failedLoginCount).toBe(0);
    expect(row.lastFailedLoginAt).toBeNull();
  });

  it('never locks on unknown emails (nothing to count) and keeps answering 401', async () => {
    const login = loginAs(uniqueIp());
    for (let i = 0; i < 6; i++) {
      expect((await login(`nobody-${i}-${crypto.randomUUID()}@test.sellerpulse.dev`, WRONG)).status).toBe(
        401,
      );
    }
  });
});
