import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client';
import { activityLog, refreshTokens, tenants, users } from '../../src/db/schema';
import { api, registerAccount, STRONG_PASSWORD, testDb, uniqueEmail, uniqueIp } from './harness';

interface Envelope {
  error: { code: string; message: string; details?: unknown; requestId: string };
}

const post = (path: string, json: unknown, headers: Record<string, string> = {}) =>
  api(path, { method: 'POST', json, headers: { 'cf-connecting-ip': uniqueIp(), ...headers } });

describe('POST /api/auth/register', () => {
  it('creates a STARTER tenant and its owner and returns tokens (201)', async () => {
    const email = uniqueEmail('reg');
    const res = await post('/api/auth/register', {
      email,
      password: STRONG_PASSWORD,
      fullName: 'Maria Silva',
      companyName: 'Loja da Maria',
      phone: '+55 11 99999-0000',
      timezone: 'America/Sao_Paulo',
      language: 'pt-BR',
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      success: boolean;
      user: { id: string; email: string; tenantId: string; role: string };
      tokens: { accessToken: string; refreshToken: string; expiresIn: number };
      tenant: { id: string; plan: string; name: string; settings: Record<string, unknown> };
    };
    expect(body.success).toBe(true);
    expect(body.user).toMatchObject({ email, role: 'owner' });
    expect(body.user.tenantId).toBe(body.tenant.id);
    expect(body.tenant).toMatchObject({ plan: 'STARTER', name: 'Loja da Maria' });
    expect(body.tenant.settings).toMatchObject({ timezone: 'America/Sao_Paulo', language: 'pt-BR' });
    expect(body.tokens.accessToken.split('.')).toHaveLength(3);
    expect(body.tokens.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.tokens.expiresIn).toBe(900);

    const [tenant] = await testDb().select().from(tenants).where(eq(tenants.id, body.tenant.id));
    expect(tenant).toMatchObject({ plan: 'STARTER', timezone: 'America/Sao_Paulo', language: 'pt-BR' });
    const [user] = await testDb().select().from(users).where(eq(users.id, body.user.id));
    expect(user!.passwordHash).toMatch(/^scrypt\$v=1\$N=16384,r=8,p=5\$/);
    expect(user!.passwordHash).not.toContain(STRONG_PASSWORD);
    // Only the hash of the refresh token is stored.
    const stored = await testDb().select().from(refreshTokens).where(eq(refreshTokens.userId, body.user.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).not.toBe(body.tokens.refreshToken);
    expect(stored[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);

    const me = await api('/api/auth/me', { headers: { authorization: `Bearer ${body.tokens.accessToken}` } });
    expect(me.status).toBe(200);
  });

  it('refuses an existing email whatever its case (409)', async () => {
    const account = await registerAccount();
    const res = await post('/api/auth/register', {
      email: account.email.toUpperCase(),
      password: STRONG_PASSWORD,
      fullName: 'Someone Else',
      companyName: 'Other Co',
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as Envelope).error.code).toBe('CONFLICT');
  });

  it.each([
    ['no upper-case letter', 'str0ng!passw0rd'],
    ['no lower-case letter', 'STR0NG!PASSW0RD'],
    ['no digit', 'Strong!Password'],
    ['no special character', 'Str0ngPassw0rd'],
    ['too short', 'S0!a'],
  ])('enforces the password policy: %s → 400 with the field', async (_case, password) => {
    const res = await post('/api/auth/register', {
      email: uniqueEmail(),
      password,
      fullName: 'Name Here',
      companyName: 'Company',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Envelope;
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(body.error.details)).toContain('json.password');
  });

  it('validates email, language, timezone and refuses unknown fields (400)', async () => {
    const base = {
      email: uniqueEmail(),
      password: STRONG_PASSWORD,
      fullName: 'Name Here',
      companyName: 'Company',
    };
    for (const [json, field] of [
      [{ ...base, email: 'not-an-email' }, 'json.email'],
      [{ ...base, language: 'fr-FR' }, 'json.language'],
      [{ ...base, timezone: 'Mars/Olympus_Mons' }, 'json.timezone'],
      [{ ...base, role: 'admin' }, 'unrecognized_keys'],
      [{ ...base, plan: 'ENTERPRISE' }, 'unrecognized_keys'],
    ] as const) {
      const res = await post('/api/auth/register', json);
      expect(res.status, JSON.stringify(json)).toBe(400);
      const body = (await res.json()) as Envelope;
      expect(JSON.stringify(body.error.details)).toContain(field);
    }
  });

  it('answers malformed JSON with 400 in the error envelope', async () => {
    const res = await api('/api/auth/login', {
      method: 'POST',
      body: '{"email": "a@b.c", "password": ',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': uniqueIp() },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Envelope;
    expect(body.error.code).toMatch(/BAD_REQUEST|VALIDATION_FAILED/);
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
  });
});

describe('POST /api/auth/login', () => {
  it('signs in with any email case and returns user, tokens and tenant settings', async () => {
    const account = await registerAccount({ timezone: 'Europe/Berlin' });
    const res = await post('/api/auth/login', {
      email: account.email.toUpperCase(),
      password: account.password,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      user: { id: string; role: string };
      tokens: { accessToken: string; refreshToken: string };
      tenant: { id: string; name: string; plan: string; settings: { timezone: string } };
    };
    expect(body.user).toMatchObject({ id: account.body.user.id, role: 'owner' });
    expect(body.tenant).toMatchObject({ id: account.body.tenant.id, plan: 'STARTER' });
    expect(body.tenant.settings.timezone).toBe('Europe/Berlin');
    const me = await api('/api/auth/me', { headers: { authorization: `Bearer ${body.tokens.accessToken}` } });
    expect(me.status).toBe(200);

    const [row] = await testDb().select().from(users).where(eq(users.id, account.body.user.id));
    expect(row!.lastLoginAt).toBeInstanceOf(Date);
    const logged = await testDb()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.userId, account.body.user.id), eq(activityLog.action, 'auth.login')));
    expect(logged).toHaveLength(1);
  });

  it('gives the same generic 401 for an unknown email and a wrong password', async () => {
    const account = await registerAccount();
    const unknown = await post('/api/auth/login', {
      email: uniqueEmail('nobody'),
      password: STRONG_PASSWORD,
    });
    const wrong = await post('/api/auth/login', { email: account.email, password: 'Wr0ng!Password' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const a = (await unknown.json()) as Envelope;
    const b = (await wrong.json()) as Envelope;
    expect(a.error.message).toBe('Invalid email or password');
    expect(b.error.message).toBe(a.error.message);
  });

  it('spends comparable time on an unknown email as on a wrong password (a hash is computed)', async () => {
    const account = await registerAccount();
    // Warm the dummy hash once, then time a few of each.
    await post('/api/auth/login', { email: uniqueEmail('warm'), password: 'x' });
    const time = async (email: string) => {
      const started = performance.now();
      await post('/api/auth/login', { email, password: 'Wr0ng!Password' });
      return performance.now() - started;
    };
    const unknown: number[] = [];
    const known: number[] = [];
    for (let i = 0; i < 3; i++) {
      unknown.push(await time(uniqueEmail('nobody')));
      known.push(await time(account.email));
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[1]!;
    // Without the dummy hash an unknown email would answer in a fraction of a scrypt run.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.4);
  });

  it('refuses a deactivated user and a suspended tenant with 403 (only with the right password)', async () => {
    const a = await registerAccount();
    await testDb().update(users).set({ isActive: false }).where(eq(users.id, a.body.user.id));
    const deactivated = await post('/api/auth/login', { email: a.email, password: a.password });
    expect(deactivated.status).toBe(403);
    const wrongPw = await post('/api/auth/login', { email: a.email, password: 'Wr0ng!Password' });
    expect(wrongPw.status).toBe(401);

    const b = await registerAccount();
    await testDb().update(tenants).set({ status: 'suspended' }).where(eq(tenants.id, b.body.tenant.id));
    const suspended = await post('/api/auth/login', { email: b.email, password: b.password });
    expect(suspended.status).toBe(403);
    expect(((await suspended.json()) as Envelope).error.message).toMatch(/suspended/);
  });

  it('refuses an invited member who has not set a password yet with the generic 401', async () => {
    const a = await registerAccount();
    const email = uniqueEmail('invited');
    await testDb()
      .insert(users)
      .values({ tenantId: a.body.tenant.id, email, fullName: 'Invited', role: 'viewer' });
    const res = await post('/api/auth/login', { email, password: STRONG_PASSWORD });
    expect(res.status).toBe(401);
    expect(((await res.json()) as Envelope).error.message).toBe('Invalid email or password');
  });

  it('upgrades a hash made with older parameters at the next login', async () => {
    const a = await registerAccount();
    const { hashPassword } = await import('../../src/lib/password');
    const old = await hashPassword(a.password, { N: 2 ** 12, r: 8, p: 1 });
    await testDb().update(users).set({ passwordHash: old }).where(eq(users.id, a.body.user.id));
    const res = await post('/api/auth/login', { email: a.email, password: a.password });
    expect(res.status).toBe(200);
    const [row] = await testDb().select().from(users).where(eq(users.id, a.body.user.id));
    expect(row!.passwordHash).toMatch(/^scrypt\$v=1\$N=16384,r=8,p=5\$/);
    const again = await post('/api/auth/login', { email: a.email, password: a.password });
    expect(again.status).toBe(200);
  });

  it('validates the body (400)', async () => {
    const res = await post('/api/auth/login', { email: 'nope', password: '' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Envelope;
    expect(JSON.stringify(body.error.details)).toContain('json.email');
  });
});

describe('GET /api/auth/me', () => {
  it('returns the user, permissions from the role, and the tenant', async () => {
    const a = await registerAccount();
    const res = await api('/api/auth/me', { as: a.user });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      user: { id: string; role: string; permissions: string[] };
      tenant: { id: string };
    };
    expect(body.user.id).toBe(a.body.user.id);
    expect(body.user.permissions).toContain('users.manage');
    expect(body.tenant.id).toBe(a.body.tenant.id);
  });

  it('requires a token (401)', async () => {
    expect((await api('/api/auth/me')).status).toBe(401);
  });

  it('stores no raw email or password in activity rows', async () => {
    const a = await registerAccount();
    await post('/api/auth/login', { email: a.email, password: 'Wr0ng!Password' });
    const rows = await queryRows<{ details: unknown }>(
      testDb(),
      sql`select details from activity_log where tenant_id = ${a.body.tenant.id}`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(a.email);
    expect(JSON.stringify(rows)).not.toContain('Wr0ng');
  });
});
