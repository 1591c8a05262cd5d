import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import { emailOutbox, inviteTokens, tenants, users } from '../../db/schema';
import { ROLES, type Role } from '../../db/schema/roles';
import { webAppOrigin } from '../../env';
import { decryptSecret, type EncryptedSecret, encryptSecret } from '../../lib/crypto';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors';
import { generateOpaqueToken, hashToken, INVITE_TOKEN_TTL_SECONDS } from '../../lib/tokens';
import { recordActivity } from '../auth/activity';
import { normalizeEmail } from '../auth/email';
import { revokeAllForUser } from '../auth/sessions';
import type { RequestContext, ServiceContext } from '../context';

/** Members are managed by a signed-in member of the same tenant. */
type MembersContext = Pick<RequestContext, 'db' | 'tenant' | 'actor'>;

const memberColumns = {
  id: users.id,
  email: users.email,
  fullName: users.fullName,
  role: users.role,
  isActive: users.isActive,
  hasPassword: sql<boolean>`${users.passwordHash} is not null`,
  lastLoginAt: users.lastLoginAt,
  createdAt: users.createdAt,
};

function memberView(m: {
  id: string;
  email: string;
  fullName: string;
  role: Role;
  isActive: boolean;
  hasPassword: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
}) {
  return {
    id: m.id,
    email: m.email,
    fullName: m.fullName,
    role: m.role,
    isActive: m.isActive,
    status: !m.isActive ? ('inactive' as const) : m.hasPassword ? ('active' as const) : ('invited' as const),
    lastLoginAt: m.lastLoginAt?.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
  };
}

export type Member = ReturnType<typeof memberView>;

export async function listMembers(ctx: MembersContext): Promise<Member[]> {
  const rows = await ctx.db
    .select(memberColumns)
    .from(users)
    .where(eq(users.tenantId, ctx.tenant.id))
    .orderBy(asc(users.createdAt), asc(users.id));
  return rows.map(memberView);
}

/** Only an owner may hand out or take away ownership. */
function assertMayAssign(actorRole: Role, role: Role): void {
  if (role === 'owner' && actorRole !== 'owner') {
    throw new ForbiddenError('Only an owner can grant the owner role', { required: ['role:owner'] });
  }
}

/** Purpose bound into the invite link's ciphertext (with the tenant id as associated data). */
const INVITE_LINK_PURPOSE = 'email_outbox:invite_link';

/** What the outbox keeps for an invite mail: the link only sealed, never readable from the database. */
const InvitePayload = z.object({
  inviteId: z.uuid(),
  inviteLink: z.object({ ciphertext: z.string(), iv: z.string(), keyVersion: z.number().int() }),
  role: z.enum(ROLES),
  tenantName: z.string().optional(),
  expiresAt: z.string(),
});

/**
 * The invite link of a queued invite mail, for the mail step (and tests): opened with the token
 * encryption key, so a copy of the database alone cannot redeem pending invites.
 */
export async function inviteLinkOf(
  ctx: Pick<ServiceContext, 'env'>,
  mail: { tenantId: string | null; payload: unknown },
): Promise<string> {
  const payload = InvitePayload.parse(mail.payload);
  if (!mail.tenantId) throw new Error('An invite mail always belongs to a tenant');
  return decryptSecret(payload.inviteLink, ctx.env.TOKEN_ENCRYPTION_KEYS, mail.tenantId, INVITE_LINK_PURPOSE);
}

/** The invite link for the mail, encrypted for the outbox (tenant and purpose as associated data). */
function sealInviteLink(ctx: Pick<RequestContext, 'env' | 'tenant'>, token: string): Promise<EncryptedSecret> {
  const link = `${webAppOrigin(ctx.env) ?? ''}/accept-invite?token=${token}`;
  return encryptSecret(link, ctx.env.TOKEN_ENCRYPTION_KEYS, ctx.tenant.id, INVITE_LINK_PURPOSE);
}

/** The invite mail, queued in the outbox in the invite's own transaction. */
async function queueInviteMail(
  tx: Db,
  mail: {
    tenantId: string;
    email: string;
    tenantName: string | undefined;
    payload: z.infer<typeof InvitePayload>;
  },
): Promise<void> {
  await tx.insert(emailOutbox).values({
    tenantId: mail.tenantId,
    toAddress: mail.email,
    template: 'user_invite',
    subject: `You are invited to ${mail.tenantName ?? 'SellerPulse'}`,
    payload: mail.payload,
  });
}

/**
 * Adds a member who has no password yet, with a one-time invite token. Only the token's hash is
 * stored; the link goes to the outbox in the same transaction, encrypted. The inviter gets the
 * invite's id and expiry, never the token: only the invitee's mailbox can set the password.
 */
export async function inviteMember(
  ctx: Pick<RequestContext, 'db' | 'env' | 'tenant' | 'actor'>,
  input: { email: string; fullName: string; role: Role },
) {
  assertMayAssign(ctx.actor.role, input.role);
  const email = normalizeEmail(input.email);
  const token = generateOpaqueToken();
  const expiresAt = new Date(Date.now() + INVITE_TOKEN_TTL_SECONDS * 1000);
  const inviteLink = await sealInviteLink(ctx, token);
  try {
    return await ctx.db.transaction(async (tx) => {
      const [tenant] = await tx
        .select({ name: tenants.name })
        .from(tenants)
        .where(eq(tenants.id, ctx.tenant.id))
        .limit(1);
      const [created] = await tx
        .insert(users)
        .values({
          tenantId: ctx.tenant.id,
          email,
          fullName: input.fullName,
          role: input.role,
          passwordHash: null,
        })
        .returning(memberColumns);
      if (!created) throw new Error('user insert returned no row');
      const [invite] = await tx
        .insert(inviteTokens)
        .values({ tenantId: ctx.tenant.id, userId: created.id, tokenHash: await hashToken(token), expiresAt })
        .returning({ id: inviteTokens.id });
      if (!invite) throw new Error('invite insert returned no row');
      await queueInviteMail(tx, {
        tenantId: ctx.tenant.id,
        email,
        tenantName: tenant?.name,
        payload: {
          inviteId: invite.id,
          inviteLink,
          role: input.role,
          tenantName: tenant?.name,
          expiresAt: expiresAt.toISOString(),
        },
      });
      await recordActivity(tx, {
        tenantId: ctx.tenant.id,
        userId: ctx.actor.userId,
        action: 'users.invite',
        entityType: 'user',
        entityId: created.id,
        details: { role: input.role, inviteId: invite.id },
      });
      return { user: memberView(created), invite: { id: invite.id, expiresAt: expiresAt.toISOString() } };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('An account with this email already exists');
    throw err;
  }
}

/**
 * Changes a member's role or active flag. Owners are changed only by owners, and the tenant
 * always keeps one active owner. Deactivation ends every session of the member at once.
 */
export async function updateMember(
  ctx: MembersContext,
  input: { userId: string; role?: Role; isActive?: boolean },
) {
  const { userId, ...patch } = input;
  if (patch.role === undefined && patch.isActive === undefined) {
    throw new ValidationError('Nothing to update', [
      { field: 'json', message: 'Give at least one of role, isActive', code: 'too_small' },
    ]);
  }
  if (patch.role) assertMayAssign(ctx.actor.role, patch.role);
  return ctx.db.transaction(async (tx) => {
    // Lock the tenant's owners so two concurrent demotions cannot both pass the last-owner check.
    const owners = await tx
      .select({ id: users.id, isActive: users.isActive })
      .from(users)
      .where(and(eq(users.tenantId, ctx.tenant.id), eq(users.role, 'owner')))
      .for('update');
    const [target] = await tx
      .select(memberColumns)
      .from(users)
      .where(and(eq(users.id, userId), eq(users.tenantId, ctx.tenant.id)))
      .limit(1);
    if (!target) throw new NotFoundError('User not found');
    if (target.role === 'owner') {
      if (ctx.actor.role !== 'owner') {
        throw new ForbiddenError('Only an owner can change an owner', { required: ['role:owner'] });
      }
      const losesOwner = (patch.role && patch.role !== 'owner') || patch.isActive === false;
      const activeOwners = owners.filter((o) => o.isActive && o.id !== target.id).length;
      if (losesOwner && activeOwners === 0) {
        throw new ConflictError('The tenant must keep at least one active owner');
      }
    }
    const [updated] = await tx
      .update(users)
      .set({
        ...(patch.role ? { role: patch.role } : {}),
        ...(patch.isActive === undefined ? {} : { isActive: patch.isActive }),
      })
      .where(and(eq(users.id, userId), eq(users.tenantId, ctx.tenant.id)))
      .returning(memberColumns);
    // No users are ever deleted, and the row was just read in this transaction.
    if (!updated) throw new NotFoundError('User not found');
    if (patch.isActive === false) await revokeAllForUser(tx, { tenantId: ctx.tenant.id, userId });
    await recordActivity(tx, {
      tenantId: ctx.tenant.id,
      userId: ctx.actor.userId,
      action: 'users.update',
      entityType: 'user',
      entityId: userId,
      details: { from: { role: target.role, isActive: target.isActive }, to: patch },
    });
    return memberView(updated);
  });
}
