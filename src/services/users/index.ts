import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import { emailOutbox, inviteTokens, tenants, users } from '../../db/schema';
import type { Role } from '../../db/schema/roles';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors';
import { generateOpaqueToken, hashToken, INVITE_TOKEN_TTL_SECONDS } from '../../lib/tokens';
import { recordActivity } from '../auth/activity';
import { normalizeEmail } from '../auth/context';
import { revokeAllForUser } from '../auth/sessions';

export interface UsersContext {
  db: Database;
  tenantId: string;
  actor: { userId: string; role: string };
}

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

type MemberRow = {
  id: string;
  email: string;
  fullName: string;
  role: Role;
  isActive: boolean;
  hasPassword: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
};

function memberView(m: MemberRow) {
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

export async function listMembers(ctx: UsersContext): Promise<Member[]> {
  const rows = await ctx.db
    .select(memberColumns)
    .from(users)
    .where(eq(users.tenantId, ctx.tenantId))
    .orderBy(asc(users.createdAt), asc(users.id));
  return rows.map((r) => memberView(r as MemberRow));
}

/** Only an owner may hand out or take away ownership. */
function assertMayAssign(actorRole: string, role: Role): void {
  if (role === 'owner' && actorRole !== 'owner') {
    throw new ForbiddenError('Only an owner can grant the owner role', { required: ['role:owner'] });
  }
}

/**
 * Adds a member who has no password yet, with a one-time invite token (stored hashed). The mail
 * goes through the outbox in the same transaction; the token is also returned to the inviter.
 */
export async function inviteMember(
  ctx: UsersContext,
  input: { email: string; fullName: string; role: Role },
  appOrigin: string | undefined,
) {
  assertMayAssign(ctx.actor.role, input.role);
  const email = normalizeEmail(input.email);
  const token = generateOpaqueToken();
  const expiresAt = new Date(Date.now() + INVITE_TOKEN_TTL_SECONDS * 1000);
  const invitePath = `/accept-invite?token=${token}`;
  const inviteUrl = appOrigin ? `${appOrigin}${invitePath}` : invitePath;
  try {
    const member = await ctx.db.transaction(async (tx) => {
      const [tenant] = await tx
        .select({ name: tenants.name })
        .from(tenants)
        .where(eq(tenants.id, ctx.tenantId))
        .limit(1);
      const [row] = await tx
        .insert(users)
        .values({
          tenantId: ctx.tenantId,
          email,
          fullName: input.fullName,
          role: input.role,
          passwordHash: null,
        })
        .returning({ id: users.id });
      await tx.insert(inviteTokens).values({
        tenantId: ctx.tenantId,
        userId: row!.id,
        tokenHash: await hashToken(token),
        expiresAt,
      });
      await tx.insert(emailOutbox).values({
        tenantId: ctx.tenantId,
        toAddress: email,
        template: 'user_invite',
        subject: `You are invited to ${tenant?.name ?? 'SellerPulse'}`,
        payload: {
          inviteUrl,
          role: input.role,
          tenantName: tenant?.name,
          expiresAt: expiresAt.toISOString(),
        },
      });
      await recordActivity(tx, {
        tenantId: ctx.tenantId,
        userId: ctx.actor.userId,
        action: 'users.invite',
        entityType: 'user',
        entityId: row!.id,
        details: { role: input.role },
      });
      const [created] = await tx.select(memberColumns).from(users).where(eq(users.id, row!.id));
      return memberView(created as MemberRow);
    });
    return { user: member, invite: { token, url: inviteUrl, expiresAt: expiresAt.toISOString() } };
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
  ctx: UsersContext,
  userId: string,
  patch: { role?: Role; isActive?: boolean },
) {
  if (patch.role) assertMayAssign(ctx.actor.role, patch.role);
  const member = await ctx.db.transaction(async (tx) => {
    // Lock the tenant's owners so two concurrent demotions cannot both pass the last-owner check.
    const owners = await tx
      .select({ id: users.id, isActive: users.isActive })
      .from(users)
      .where(and(eq(users.tenantId, ctx.tenantId), eq(users.role, 'owner')))
      .for('update');
    const [target] = await tx
      .select(memberColumns)
      .from(users)
      .where(and(eq(users.id, userId), eq(users.tenantId, ctx.tenantId)))
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
      .where(and(eq(users.id, userId), eq(users.tenantId, ctx.tenantId)))
      .returning(memberColumns);
    if (patch.isActive === false) await revokeAllForUser(tx, ctx.tenantId, userId);
    await recordActivity(tx, {
      tenantId: ctx.tenantId,
      userId: ctx.actor.userId,
      action: 'users.update',
      entityType: 'user',
      entityId: userId,
      details: { from: { role: target.role, isActive: target.isActive }, to: patch },
    });
    return memberView(updated as MemberRow);
  });
  return member;
}

export function assertPatchNotEmpty(patch: Record<string, unknown>): void {
  if (Object.keys(patch).length === 0) {
    throw new ValidationError('Nothing to update', [
      { field: 'json', message: 'Give at least one of role, isActive', code: 'too_small' },
    ]);
  }
}
