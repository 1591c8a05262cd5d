import { and, eq, isNull, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { refreshTokens, tenants, users } from '../../db/schema';
import { ForbiddenError, UnauthorizedError } from '../../lib/errors';
import { ACCESS_TOKEN_TTL_SECONDS, type JwtConfig, signAccessToken } from '../../lib/jwt';
import type { Logger } from '../../lib/logger';
import { generateOpaqueToken, hashToken, REFRESH_TOKEN_TTL_SECONDS } from '../../lib/tokens';
import { recordActivity } from './activity';
import type { ClientMeta } from './context';

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  /** Access token lifetime in seconds. */
  expiresIn: number;
}

interface SessionUser {
  id: string;
  tenantId: string;
  role: string;
}

async function storeRefreshToken(db: Db, user: SessionUser, familyId: string, meta: ClientMeta) {
  const token = generateOpaqueToken();
  const [row] = await db
    .insert(refreshTokens)
    .values({
      tenantId: user.tenantId,
      userId: user.id,
      familyId,
      tokenHash: await hashToken(token),
      expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_SECONDS * 1000),
      userAgent: meta.userAgent?.slice(0, 256) ?? null,
      ipHash: meta.ip ? await hashToken(meta.ip) : null,
    })
    .returning({ id: refreshTokens.id });
  return { token, id: row!.id };
}

/** A new login: a new refresh-token family and an access token. */
export async function issueSession(
  db: Db,
  jwt: JwtConfig,
  user: SessionUser,
  meta: ClientMeta = {},
): Promise<SessionTokens> {
  const { token } = await storeRefreshToken(db, user, crypto.randomUUID(), meta);
  const accessToken = await signAccessToken(jwt, {
    userId: user.id,
    tenantId: user.tenantId,
    role: user.role,
  });
  return { accessToken, refreshToken: token, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
}

/** Revokes the still-live refresh tokens of the tenant that match `which`. */
async function revokeWhere(db: Db, tenantId: string, which: SQL): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(refreshTokens.tenantId, tenantId), which, isNull(refreshTokens.revokedAt)));
}

export function revokeFamily(db: Db, tenantId: string, familyId: string): Promise<void> {
  return revokeWhere(db, tenantId, eq(refreshTokens.familyId, familyId));
}

/** Password change, deactivation: every session of the user ends. */
export function revokeAllForUser(db: Db, tenantId: string, userId: string): Promise<void> {
  return revokeWhere(db, tenantId, eq(refreshTokens.userId, userId));
}

/**
 * Trades a refresh token for a new pair. Each token works once: presenting a used one means it
 * was copied, so the whole family (every token descended from that login) is revoked.
 */
export async function rotateRefreshToken(
  ctx: { db: Db; jwt: JwtConfig; logger: Logger },
  presented: string,
  meta: ClientMeta = {},
): Promise<SessionTokens> {
  const { db } = ctx;
  const [row] = await db
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
    .where(eq(refreshTokens.tokenHash, await hashToken(presented)))
    .limit(1);

  if (!row) throw new UnauthorizedError('Invalid refresh token');
  const reuse = async () => {
    await revokeFamily(db, row.tenantId, row.familyId);
    ctx.logger.warn('refresh token reuse detected; family revoked', {
      userId: row.userId,
      tenantId: row.tenantId,
      familyId: row.familyId,
    });
    await recordActivity(db, {
      tenantId: row.tenantId,
      userId: row.userId,
      action: 'auth.refresh_reuse',
      entityType: 'refresh_token_family',
      entityId: row.familyId,
    });
    return new UnauthorizedError('Refresh token reuse detected; please sign in again');
  };
  if (row.usedAt && !row.revokedAt) throw await reuse();
  if (row.revokedAt) throw new UnauthorizedError('Refresh token revoked');
  if (row.expiresAt.getTime() <= Date.now()) throw new UnauthorizedError('Refresh token expired');
  if (!row.isActive) throw new UnauthorizedError('User is deactivated');
  if (row.tenantStatus !== 'active') throw new ForbiddenError('Tenant account is suspended');

  // The conditional update is the single point of truth when two requests race with one token.
  const claimed = await db
    .update(refreshTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(refreshTokens.id, row.id), isNull(refreshTokens.usedAt), isNull(refreshTokens.revokedAt)))
    .returning({ id: refreshTokens.id });
  if (claimed.length === 0) throw await reuse();

  const user = { id: row.userId, tenantId: row.tenantId, role: row.role };
  const next = await storeRefreshToken(db, user, row.familyId, meta);
  await db.update(refreshTokens).set({ replacedBy: next.id }).where(eq(refreshTokens.id, row.id));
  const accessToken = await signAccessToken(ctx.jwt, {
    userId: user.id,
    tenantId: user.tenantId,
    role: user.role,
  });
  return { accessToken, refreshToken: next.token, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
}

/** Logout: ends the login the presented token belongs to, if it is the caller's. */
export async function revokeSessionOf(
  db: Db,
  caller: { tenantId: string; userId: string },
  presented: string,
): Promise<boolean> {
  const [row] = await db
    .select({ familyId: refreshTokens.familyId })
    .from(refreshTokens)
    .where(
      and(
        eq(refreshTokens.tokenHash, await hashToken(presented)),
        eq(refreshTokens.tenantId, caller.tenantId),
        eq(refreshTokens.userId, caller.userId),
      ),
    )
    .limit(1);
  if (!row) return false;
  await revokeFamily(db, caller.tenantId, row.familyId);
  return true;
}
