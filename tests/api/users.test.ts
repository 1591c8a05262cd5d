import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { emailOutbox, inviteTokens, refreshTokens, users } from '../../src/db/schema';
import { hashToken } from '../../src/lib/tokens';
import { inviteLinkOf } from '../../src/services/users';
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

interface InviteResponse {
  user: Member;
  invite: { id: string; expiresAt: string };
}

/** What the invitee finds in their mailbox: the link the mail step opens from the outbox. */
async function mailedInvite(email: string) {
  const [mail] = await testDb().select().from(emailOutbox).where(eq(emailOutbox.toAddress, email));
  const link = new URL(await inviteLinkOf({ env }, mail!), 'https://app.example');
  return { mail: mail!, link, token: link.searchParams.get('token')! };
}

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
    const body = (await res.json()) as InviteResponse;
    expect(body.user).toMatchObject({ email, role: 'analyst', isActive: true, status: 'invited' });

    const { mail, link, token } = await mailedInvite(email);
    expect(mail).toMatchObject({
      toAddress: email,
      template: 'user_invite',
      status: 'pending',
      tenantId: t.id,
    });
    expect(link.pathname).toBe('/accept-invite');
    const [stored] = await testDb().select().from(inviteTokens).where(eq(inviteTokens.userId, body.user.id));
    expect(body.invite).toEqual({ id: stored!.id, expiresAt: stored!.expiresAt.toISOString() });
    expect(stored!.tokenHash).toBe(await hashToken(token));

    // Cannot sign in before accepting.
    expect((await post('/api/auth/login', { email, password: STRONG_PASSWORD })).status).toBe(401);
    const accepted = await post('/api/auth/accept-invite', { token, password: STRONG_PASSWORD });
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
    const again = await post('/api/auth/accept-invite', { token, password: 'An0ther!Password' });
    expect(again.status).toBe(401);
    expect((await post('/api/auth/login', { email, password: STRONG_PASSWORD })).status).toBe(200);
    expect((await post('/api/auth/login', { email, password: 'An0ther!Password' })).status).toBe(401);
  });

  it('keeps the invite token out of the response and out of the database: only the mail can redeem it', async () => {
    const t = await createTenant();
    const admin = await t.addUser('admin');
    const email = uniqueEmail('invitee');
    const res = await api('/api/users', {
      method: 'POST',
      json: { email, fullName: 'Invited Person', role: 'viewer' },
      as: admin,
    });
    expect(res.status).toBe(201);
    const responseText = await res.text();
    const { mail, token } = await mailedInvite(email);

    // The inviter never sees the token, and no row holds it (nor the link) in readable form.
    expect(responseText).not.toContain(token);
    expect(responseText).not.toContain('accept-invite');
    expect(JSON.stringify(mail)).not.toContain(token);
    expect(JSON.stringify(mail)).not.toContain('accept-invite');
    const [stored] = await testDb().select().from(inviteTokens).where(eq(inviteTokens.tenantId, t.id));
    expect(JSON.stringify(stored)).not.toContain(token);

    // The sealed link is bound to its tenant: copied into another tenant's mail, it does not open.
    const other = await createTenant();
    await expect(inviteLinkOf({ env }, { ...mail, tenantId: other.id })).rejects.toThrow();
    // Nothing the admin could guess from the response redeems the invite.
    const { invite } = JSON.parse(responseText) as InviteResponse;
    const guess = await post('/api/auth/accept-invite', {
      token: invite.id.replaceAll('-', '').padEnd(43, 'A'),
      password: STRONG_PASSWORD,
    });
    expect(guess.status).toBe(401);
    const [member] = await testDb().select().from(users).where(eq(users.email, email));
    expect(member!.passwordHash).toBeNull();
  });

  it('refuses an expired invite, an unknown token and a weak password', async () => {
    const t = await createTenant();
    const email = uniqueEmail();
    const res = await api('/api/users', {
      method: 'POST',
      json: { email, fullName: 'Late Person', role: 'viewer' },
      as: t.owner,
    });
    const { user } = (await res.json()) as InviteResponse;
    const { token } = await mailedInvite(email);
    expect((await post('/api/auth/accept-invite', { token, password: 'weak' })).status).toBe(400);
    await testDb()
      .update(inviteTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(inviteTokens.userId, user.id));
    expect((await post('/api/auth/accept-invite', { token, password: STRONG_PASSWORD })).status).toBe(401);
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
    const { user } = (await created.json()) as InviteResponse;
    const { token } = await mailedInvite(email);
    const session = (await (
      await post('/api/auth/accept-invite', { token, password: STRONG_PASSWORD })
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
