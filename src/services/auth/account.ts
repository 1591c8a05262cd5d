import { and, eq, isNull } from 'drizzle-orm';
import { inviteTokens, tenants, type User, users } from '../../db/schema';
import { ROLE_PERMISSIONS } from '../../db/schema/roles';
import { ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../../lib/errors';
import { hashPassword, verifyPassword } from '../../lib/password';
import { hashToken } from '../../lib/tokens';
import type { RequestContext, ServiceContext } from '../context';
import { recordActivity } from './activity';
import { type ClientMeta, issueSession, revokeAllForUser } from './sessions';
import { type Claim, claimAttempt, passwordChangeThrottleKeys, settleAttempt } from './throttle';
import { tenantView, userView } from './views';

type CallerContext = Pick<RequestContext, 'db' | 'tenant' | 'actor'>;

/** The caller's user and tenant rows. */
async function loadCaller(ctx: CallerContext) {
  const [row] = await ctx.db
    .select({ user: users, tenant: tenants })
    .from(users)
    .innerJoin(tenants, eq(tenants.id, users.tenantId))
    .where(and(eq(users.id, ctx.actor.userId), eq(users.tenantId, ctx.tenant.id)))
    .limit(1);
  if (!row) throw new NotFoundError('User not found');
  return row;
}

export async function getMe(ctx: CallerContext) {
  const { user, tenant } = await loadCaller(ctx);
  return {
    user: {
      ...userView(user),
      phone: user.phone,
      lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
      permissions: [...ROLE_PERMISSIONS[user.role]],
    },
    tenant: tenantView(tenant),
  };
}

/** A wrong current password is audited; the guess that reaches the limit also locks. */
async function recordWrongCurrentPassword(
  ctx: Pick<RequestContext, 'db' | 'logger'>,
  user: User,
  claim: Claim,
) {
  for (const { lockoutCount, lockSeconds } of claim.locks) {
    ctx.logger.warn('password change locked after failed attempts', {
      userId: user.id,
      tenantId: user.tenantId,
      lockoutCount,
      lockSeconds,
    });
  }
  await recordActivity(ctx.db, {
    tenantId: user.tenantId,
    userId: user.id,
    action: 'auth.password_change_failed',
    entityType: 'user',
    entityId: user.id,
    details: { locked: claim.locks.length > 0 },
  });
}

/**
 * Changes the caller's password. Every refresh token is revoked and access tokens issued before
 * now stop working (users.password_changed_at); the caller gets a fresh session. Guesses of the
 * current password are counted like logins (someone holding a stolen access token must not get
 * unlimited tries), before the check, and lock the endpoint for the user.
 */
export async function changePassword(
  ctx: Pick<RequestContext, 'db' | 'env' | 'logger' | 'tenant' | 'actor'>,
  input: { currentPassword: string; newPassword: string; client?: ClientMeta },
) {
  const claim = await claimAttempt(ctx.db, passwordChangeThrottleKeys(ctx.actor.userId));
  const { user } = await loadCaller(ctx);
  const check = user.passwordHash ? await verifyPassword(input.currentPassword, user.passwordHash) : null;
  if (!check?.valid) {
    await recordWrongCurrentPassword(ctx, user, claim);
    throw new ValidationError('Current password is incorrect', [
      { field: 'json.currentPassword', message: 'Current password is incorrect', code: 'invalid' },
    ]);
  }
  await settleAttempt(ctx.db, claim);
  if (input.currentPassword === input.newPassword) {
    throw new ValidationError('The new password must differ from the current one', [
      { field: 'json.newPassword', message: 'Must differ from the current password', code: 'invalid' },
    ]);
  }
  const passwordHash = await hashPassword(input.newPassword);
  const tokens = await ctx.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, passwordChangedAt: new Date() })
      .where(and(eq(users.id, user.id), eq(users.tenantId, user.tenantId)));
    await revokeAllForUser(tx, { tenantId: user.tenantId, userId: user.id });
    await recordActivity(tx, {
      tenantId: user.tenantId,
      userId: user.id,
      action: 'auth.password_changed',
      entityType: 'user',
      entityId: user.id,
    });
    return issueSession({ db: tx, env: ctx.env }, { user, client: input.client });
  });
  return { success: true as const, tokens };
}

/** An invited member sets a password with the one-time token and is signed in. */
export async function acceptInvite(
  ctx: Pick<ServiceContext, 'db' | 'env'>,
  input: { token: string; password: string; client?: ClientMeta },
) {
  const invalid = () => new UnauthorizedError('Invalid or expired invite token');
  const [row] = await ctx.db
    .select({ invite: inviteTokens, user: users, tenant: tenants })
    .from(inviteTokens)
    .innerJoin(users, eq(users.id, inviteTokens.userId))
    .innerJoin(tenants, eq(tenants.id, inviteTokens.tenantId))
    .where(eq(inviteTokens.tokenHash, await hashToken(input.token)))
    .limit(1);
  if (!row || row.invite.usedAt || row.invite.expiresAt.getTime() <= Date.now() || row.user.passwordHash) {
    throw invalid();
  }
  if (!row.user.isActive) throw new ForbiddenError('User account is deactivated');
  if (row.tenant.status !== 'active') throw new ForbiddenError('Tenant account is suspended');

  const passwordHash = await hashPassword(input.password);
  const { user, tenant } = row;
  const tokens = await ctx.db.transaction(async (tx) => {
    const claimed = await tx
      .update(inviteTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(inviteTokens.id, row.invite.id), isNull(inviteTokens.usedAt)))
      .returning({ id: inviteTokens.id });
    if (claimed.length === 0) throw invalid();
    await tx
      .update(users)
      .set({ passwordHash, passwordChangedAt: new Date(), lastLoginAt: new Date() })
      .where(and(eq(users.id, user.id), eq(users.tenantId, tenant.id), isNull(users.passwordHash)));
    await recordActivity(tx, {
      tenantId: tenant.id,
      userId: user.id,
      action: 'users.invite_accepted',
      entityType: 'user',
      entityId: user.id,
    });
    return issueSession({ db: tx, env: ctx.env }, { user, client: input.client });
  });
  return { success: true as const, user: userView(user), tokens, tenant: tenantView(tenant) };
}
