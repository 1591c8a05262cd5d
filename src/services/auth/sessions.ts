import { and, eq, isNull, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { refreshTokens, tenants, users } from '../../db/schema';
import type { Role } from '../../db/schema/roles';
import { ForbiddenError, UnauthorizedError } from '../../lib/errors';
import { ACCESS_TOKEN_TTL_SECONDS, type JwtConfig, signAccessToken } from '../../lib/jwt';
import { generateOpaqueToken, hashToken, REFRESH_TOKEN_TTL_SECONDS } from '../../lib/tokens';
import type { RequestContext, ServiceContext } from '../context';
import { recordActivity } from './activity';

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  /** Access token lifetime in seconds. */
  expiresIn: number;
}

/** Client details stored beside a refresh token (hashed IP: no raw addresses at rest). */
export interface ClientMeta {
  userAgent?: string;
  ip?: string;
}

interface SessionUser {
  id: string;
  tenantId: string;
  role: Role;
}

/** What signing a session needs; `db` may be an open transaction. */
export interface SessionContext {
  db: Db;
  env: JwtConfig;
}

async function storeRefreshToken(db: Db, user: SessionUser, familyId: string, client: ClientMeta = {}) {
  const token = generateOpaqueToken();
  const [row] = await db
    .insert(refreshTokens)
    .values({
      tenantId: user.tenantId,
      userId: user.id,
      familyId,
      tokenHash: await hashToken(token),
      expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_SECONDS * 1000),
      userAgent: client.userAgent?.slice(0, 256) ?? null,
      ipHash: client.ip ? await hashToken(client.ip) : null,
    })
    .returning({ id: refreshTokens.id });
  if (!row) throw new Error('refresh token insert returned no row');
  return { token, id: row.id };
}

async function sessionTokens(
  env: JwtConfig,
  user: SessionUser,
  refreshToken: string,
): Promise<SessionTokens> {
  const accessToken = await signAccessToken(env, {
    userId: user.id,
    tenantId: user.tenantId,
    role: user.role,
  });
  return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
}

/** A new login: a new refresh-token family and an access token. */
export async function issueSession(
  ctx: SessionContext,
  input: { user: SessionUser; client?: ClientMeta },
): Promise<SessionTokens> {
  const { token } = await storeRefreshToken(ctx.db, input.user, crypto.randomUUID(), input.client);
  return sessionTokens(ctx.env, input.user, token);
}

/** Revokes the still-live refresh tokens of the tenant that match `which`. */
async function revokeWhere(db: Db, tenantId: string, which: SQL): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(refreshTokens.tenantId, tenantId), which, isNull(refreshTokens.revokedAt)));
}

function revokeFamily(db: Db, family: { tenantId: string; familyId: string }): Promise<void> {
  return revokeWhere(db, family.tenantId, eq(refreshTokens.familyId, family.familyId));
}

/** Password change, deactivation: every session of the user ends. */
export function revokeAllForUser(db: Db, user: { tenantId: string; userId: string }): Promise<void> {
  return revokeWhere(db, user.tenantId, eq(refreshTokens.userId, user.userId));
}

/** A used token presented again was copied: the whole family ends and the event is audited. */
async function revokeReusedFamily(
  ctx: Pick<ServiceContext, 'logger'> & { db: Db },
  family: { tenantId: string; userId: string; familyId: string },
): Promise<UnauthorizedError> {
  await revokeFamily(ctx.db, family);
  ctx.logger.warn('refresh token reuse detected; family revoked', family);
  await recordActivity(ctx.db, {
    tenantId: family.tenantId,
    userId: family.userId,
    action: 'auth.refresh_reuse',
    entityType: 'refresh_token_family',
    entityId: family.familyId,
  });
  return new UnauthorizedError('Refresh token reuse detected; please sign in again');
}

/** The presented token with its user and tenant, locked until the rotation commits. */
async function lockPresentedToken(tx: Db, tokenHash: string) {
  const [row] = await tx
    .select({
      id: refreshTokens.id,
      familyId: refreshTokens.familyId,
      tenantId: refreshTokens.tenantId,
      userId: refreshTokens.userId,
      expiresAt: refreshTokens.expiresAt,
      usedAt: refreshTokens.usedAt,
      revokedAt: refreshTokens.revokedAt,
      role: users.role,
      isActive: users.isActive,
      tenantStatus: tenants.status,
    })
    .from(refreshTokens)
    .innerJoin(users, eq(users.id, refreshTokens.userId))
    .innerJoin(tenants, eq(tenants.id, refreshTokens.tenantId))
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .limit(1)
    // The user row too: a password change (which updates it) and a rotation run one after the
    // other, so the change's revocation always sees the token a rotation issued.
    .for('no key update', { of: [refreshTokens, users] });
  return row;
}

/**
 * Trades a refresh token for a new pair. Each token works once: presenting a used one means it
 * was copied, so the whole family (every token descended from that login) is revoked.
 *
 * Claim, issue and reuse revocation run in one transaction with the presented row locked: racing
 * refreshes of one token queue on the lock, so exactly one wins and the others see it used and
 * revoke the family including the winner's new token; a failure before commit leaves the
 * presented token unused, so the client's retry is not mistaken for reuse.
 */
export async function rotateRefreshToken(
  ctx: Pick<ServiceContext, 'db' | 'logger' | 'env'>,
  input: { refreshToken: string; client?: ClientMeta },
): Promise<SessionTokens> {
  const tokenHash = await hashToken(input.refreshToken);
  const outcome = await ctx.db.transaction(async (tx) => {
    const row = await lockPresentedToken(tx, tokenHash);
    if (!row) return { refused: new UnauthorizedError('Invalid refresh token') };
    const family = { userId: row.userId, tenantId: row.tenantId, familyId: row.familyId };
    // Returned, not thrown: the revocation must commit.
    if (row.usedAt && !row.revokedAt)
      return { refused: await revokeReusedFamily({ ...ctx, db: tx }, family) };
    if (row.revokedAt) return { refused: new UnauthorizedError('Refresh token revoked') };
    if (row.expiresAt.getTime() <= Date.now())
      return { refused: new UnauthorizedError('Refresh token expired') };
    if (!row.isActive) return { refused: new UnauthorizedError('User is deactivated') };
    if (row.tenantStatus !== 'active') return { refused: new ForbiddenError('Tenant account is suspended') };

    const user = { id: row.userId, tenantId: row.tenantId, role: row.role };
    const next = await storeRefreshToken(tx, user, row.familyId, input.client);
    await tx
      .update(refreshTokens)
      .set({ usedAt: new Date(), replacedBy: next.id })
      .where(eq(refreshTokens.id, row.id));
    return { user, token: next.token };
  });
  if ('refused' in outcome) throw outcome.refused;
  return sessionTokens(ctx.env, outcome.user, outcome.token);
}

/** Logout: ends the login the presented token belongs to, if it is the caller's. */
export async function logout(
  ctx: Pick<RequestContext, 'db' | 'tenant' | 'actor'>,
  input: { refreshToken: string },
): Promise<boolean> {
  const [row] = await ctx.db
    .select({ familyId: refreshTokens.familyId })
    .from(refreshTokens)
    .where(
      and(
        eq(refreshTokens.tokenHash, await hashToken(input.refreshToken)),
        eq(refreshTokens.tenantId, ctx.tenant.id),
        eq(refreshTokens.userId, ctx.actor.userId),
      ),
    )
    .limit(1);
  if (!row) return false;
  await revokeFamily(ctx.db, { tenantId: ctx.tenant.id, familyId: row.familyId });
  return true;
}
