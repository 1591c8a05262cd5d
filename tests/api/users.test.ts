import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { emailOutbox, inviteTokens, refreshTokens, users } from '../../src/db/schema';
import {
  api,
  createTenant,
  registerAccount,
  STRONG_PASSWORD,
  testDb,
  uniqueEmail,
  uniqueIp,
} from './harness';

interface Member {
  id: string;
  email: string;
  role: string;
  isActive: boolean;
  status: string;
}
interface Envelope {
  error: { code: string; message: string; details?: { required?: string[] } };
}

const post = (path: string, json: unknown) =>
  api(path, { method: 'POST', json, headers: { 'cf-connecting-ip': uniqueIp() } });

describe('GET /api/users', () => {
  it("lists only the caller's tenant members", async () => {
    const t = await createTenant();
    const viewer = await t.addUser('viewer');
    const other = await createTenant();
    const res = await api('/api/users', { as: t.owner });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { users: Member[] };
    expect(body.users.map((u) => u.id).sort()).toEqual([t.owner.id, viewer.id].sort());
    expect(JSON.stringify(body)).not.toContain(other.owner.id);
    expect(JSON.stringify(body)).not.toContain('passwordHash');
  });

  it('is for owners and admins only (403 lists what was required)', async () => {
    const t = await createTenant();
    const admin = await t.addUser('admin');
    expect((await api('/api/users', { as: admin })).status).toBe(200);
    for (const role of ['analyst', 'viewer'] as const) {
      const res = await api('/api/users', { as: await t.addUser(role) });
      expect(res.status).toBe(403);
      expect(((await res.json()) as Envelope).error.details?.required).toEqual(['users.manage']);
    }
  });
});

describe('POST /api/users (invite) and POST /api/auth/accept-invite', () => {
  it('creates a member with a one-time invite token; the member sets a password once and signs in', async () => {
    const t = await createTenant();
    const email = uniqueEmail('member');
    const res = await api('/api/users', {
      method: 'POST',
      json: { email, fullName: 'New Analyst', role: 'analyst' },
      as: t.owner,
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      user: Member;
      invite: { token: string; url: string; expiresAt: string };
    };
    expect(body.user).toMatchObject({ email, role: 'analyst', isActive: true, status: 'invited' });
    expect(body.invite.url).toContain(body.invite.token);

    const [stored] = await testDb().select().from(inviteTokens).where(eq(inviteTokens.userId, body.user.id));
    expect(stored!.tokenHash).not.toBe(body.invite.token);
    const mails = await testDb().select().from(emailOutbox).where(eq(emailOutbox.tenantId, t.id));
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ toAddress: email, template: 'user_invite', status: 'pending' });

    // Cannot sign in before accepting.
    expect((await post('/api/auth/login', { email, password: STRONG_PASSWORD })).status).toBe(401);
    const accepted = await post('/api/auth/accept-invite', {
      token: body.invite.token,
      password: STRONG_PASSWORD,
    });
    expect(accepted.status).toBe(200);
    const session = (await accepted.json()) as {
      user: { id: string; role: string };
      tokens: { accessToken: string };
    };
    expect(session.user).toMatchObject({ id: body.user.id, role: 'analyst' });
    const me = await api('/api/auth/me', {
      headers: { authorization: `Bearer ${session.tokens.accessToken}` },
    });
    expect(me.status).toBe(200);

    // One time only.
    const again = await post('/api/auth/accept-invite', {
      token: body.invite.token,
      password: 'An0ther!Password',
    });
    expect(again.status).toBe(401);
    expect((await post('/api/auth/login', { email, password: STRONG_PASSWORD })).status).toBe(200);
    expect((await post('/api/auth/login', { email, password: 'An0ther!Password' })).status).toBe(401);
  });

  it('refuses an expired invite, an unknown token and a weak password', async () => {
    const t = await createTenant();
    const res = await api('/api/users', {
      method: 'POST',
      json: { email: uniqueEmail(), fullName: 'Late Person', role: 'viewer' },
      as: t.owner,
    });
    const { invite, user } = (await res.json()) as { invite: { token: string }; user: Member };
    expect((await post('/api/auth/accept-invite', { token: invite.token, password: 'weak' })).status).toBe(
      400,
    );
    await testDb()
      .update(inviteTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(inviteTokens.userId, user.id));
    expect(
      (await post('/api/auth/accept-invite', { token: invite.token, password: STRONG_PASSWORD })).status,
    ).toBe(401);
    expect(
      (await post('/api/auth/accept-invite', { token: 'B'.repeat(43), password: STRONG_PASSWORD })).status,
    ).toBe(401);
  });

  it('an admin may invite an admin but not an owner; an owner may invite an owner', async () => {
    const t = await createTenant();
    const admin = await t.addUser('admin');
    const invite = (as: typeof admin, role: string) =>
      api('/api/users', { method: 'POST', json: { email: uniqueEmail(), fullName: 'Some One', role }, as });
    expect((await invite(admin, 'admin')).status).toBe(201);
    const refused = await invite(admin, 'owner');
    expect(refused.status).toBe(403);
    expect((await invite(t.owner, 'owner')).status).toBe(201);
  });

  it('refuses an email that exists in any tenant, whatever its case (409)', async () => {
    const a = await registerAccount();
    const t = await createTenant();
    const res = await api('/api/users', {
      method: 'POST',
      json: { email: a.email.toUpperCase(), fullName: 'Dup Licate', role: 'viewer' },
      as: t.owner,
    });
    expect(res.status).toBe(409);
  });

  it('validates the body: role enum, email, unknown fields (400)', async () => {
    const t = await createTenant();
    for (const json of [
      { email: uniqueEmail(), fullName: 'Some One', role: 'superuser' },
      { email: 'nope', fullName: 'Some One', role: 'viewer' },
      { email: uniqueEmail(), fullName: 'Some One', role: 'viewer', tenantId: t.id },
    ]) {
      const res = await api('/api/users', { method: 'POST', json, as: t.owner });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(((await res.json()) as Envelope).error.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('PATCH /api/users/:id', () => {
  it('changes a role; the change applies to the member at once', async () => {
    const t = await createTenant();
    const analyst = await t.addUser('analyst');
    const res = await api(`/api/users/${analyst.id}`, {
      method: 'PATCH',
      json: { role: 'admin' },
      as: t.owner,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: Member }).user.role).toBe('admin');
    expect((await api('/api/users', { as: analyst })).status).toBe(200);
  });

  it('deactivating a member refuses their access token at once and revokes their refresh tokens', async () => {
    const t = await createTenant();
    const member = await t.addUser('analyst');
    await testDb()
      .insert(refreshTokens)
      .values({
        tenantId: t.id,
        userId: member.id,
        familyId: crypto.randomUUID(),
        tokenHash: crypto.randomUUID().replaceAll('-', ''),
        expiresAt: new Date(Date.now() + 86_400_000),
      });
    expect((await api('/api/auth/me', { as: member })).status).toBe(200);
    const res = await api(`/api/users/${member.id}`, {
      method: 'PATCH',
      json: { isActive: false },
      as: t.owner,
    });
    expect(res.status).toBe(200);
    const me = await api('/api/auth/me', { as: member });
    expect(me.status).toBe(401);
    const tokens = await testDb().select().from(refreshTokens).where(eq(refreshTokens.userId, member.id));
    expect(tokens.every((r) => r.revokedAt !== null)).toBe(true);
  });

  it('deactivation ends a real session: the refresh token stops working', async () => {
    const t = await createTenant();
    const email = uniqueEmail('sess');
    const created = await api('/api/users', {
      method: 'POST',
      json: { email, fullName: 'Session Person', role: 'viewer' },
      as: t.owner,
    });
    const { invite, user } = (await created.json()) as { invite: { token: string }; user: Member };
    const session = (await (
      await post('/api/auth/accept-invite', { token: invite.token, password: STRONG_PASSWORD })
    ).json()) as {
      tokens: { refreshToken: string };
    };
    await api(`/api/users/${user.id}`, { method: 'PATCH', json: { isActive: false }, as: t.owner });
    expect((await post('/api/auth/refresh', { refreshToken: session.tokens.refreshToken })).status).toBe(401);
  });

  it('an admin cannot promote to owner nor change an owner', async () => {
    const t = await createTenant();
    const admin = await t.addUser('admin');
    const viewer = await t.addUser('viewer');
    const promote = await api(`/api/users/${viewer.id}`, {
      method: 'PATCH',
      json: { role: 'owner' },
      as: admin,
    });
    expect(promote.status).toBe(403);
    const demoteOwner = await api(`/api/users/${t.owner.id}`, {
      method: 'PATCH',
      json: { role: 'viewer' },
      as: admin,
    });
    expect(demoteOwner.status).toBe(403);
    const [row] = await testDb().select().from(users).where(eq(users.id, t.owner.id));
    expect(row!.role).toBe('owner');
  });

  it('nobody can demote or deactivate the last active owner (409); with two owners it works', async () => {
    const t = await createTenant();
    for (const json of [{ role: 'admin' }, { isActive: false }]) {
      const res = await api(`/api/users/${t.owner.id}`, { method: 'PATCH', json, as: t.owner });
      expect(res.status, JSON.stringify(json)).toBe(409);
    }
    const second = await t.addUser('owner');
    const res = await api(`/api/users/${t.owner.id}`, {
      method: 'PATCH',
      json: { role: 'admin' },
      as: second,
    });
    expect(res.status).toBe(200);
    const last = await api(`/api/users/${second.id}`, {
      method: 'PATCH',
      json: { role: 'admin' },
      as: second,
    });
    expect(last.status).toBe(409);
  });

  it("refuses unknown fields, an empty body and a bad id (400); another tenant's user is 404", async () => {
    const t = await createTenant();
    const viewer = await t.addUser('viewer');
    for (const json of [{ tenantId: crypto.randomUUID() }, { email: 'x@y.z' }, {}, { role: 'root' }]) {
      const res = await api(`/api/users/${viewer.id}`, { method: 'PATCH', json, as: t.owner });
      expect(res.status, JSON.stringify(json)).toBe(400);
    }
    expect(
      (await api('/api/users/not-a-uuid', { method: 'PATCH', json: { role: 'viewer' }, as: t.owner })).status,
    ).toBe(400);
    const other = await createTenant();
    const cross = await api(`/api/users/${viewer.id}`, {
      method: 'PATCH',
      json: { role: 'admin' },
      as: other.owner,
    });
    expect(cross.status).toBe(404);
    const [row] = await testDb()
      .select()
      .from(users)
      .where(and(eq(users.id, viewer.id), eq(users.tenantId, t.id)));
    expect(row!.role).toBe('viewer');
  });
});
