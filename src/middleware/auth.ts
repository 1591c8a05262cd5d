import { eq } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { type AppContext, serviceContext } from '../context';
import { tenants, users } from '../db/schema';
import { type Permission, ROLE_PERMISSIONS } from '../db/schema/roles';
import { ForbiddenError, UnauthorizedError } from '../lib/errors';
import { type AccessClaims, verifyAccessToken } from '../lib/jwt';
import { userRateLimit } from './client-rate-limit';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A password change invalidates access tokens issued before it. `ims` (milliseconds) orders a
 * token against a change made in the same second; without it `iat` (1 s resolution) is compared
 * at second granularity so a token issued just after the change keeps working.
 */
function issuedBefore(claims: AccessClaims, changedAt: Date): boolean {
  if (typeof claims.ims === 'number') return claims.ims < changedAt.getTime();
  return claims.iat < Math.floor(changedAt.getTime() / 1000);
}

/**
 * Verifies the bearer access token, counts the request against the per-user rate limit (keyed by
 * the verified subject, before any database read, so a throttled user costs none), then re-reads
 * the user and tenant so a deactivated user or a suspended tenant is refused at once (not when the
 * token expires). Sets `c.var.ctx`, the service context every handler passes on, in the same round
 * trip.
 */
export const authenticate = createMiddleware<AppContext>(async (c, next) => {
  const header = c.req.header('authorization');
  if (!header) throw new UnauthorizedError('No token provided');
  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(header);
  if (!match?.[1]) throw new UnauthorizedError('Malformed authorization header');
  const claims = await verifyAccessToken(c.env, match[1]);
  if (!UUID.test(claims.sub)) throw new UnauthorizedError('Invalid token claims');
  const limitInEffect = await userRateLimit.beforeLookup(c, claims.sub);

  const [row] = await c.var.db
    .select({
      userId: users.id,
      tenantId: users.tenantId,
      role: users.role,
      isActive: users.isActive,
      passwordChangedAt: users.passwordChangedAt,
      tenantStatus: tenants.status,
      plan: tenants.plan,
      timezone: tenants.timezone,
      currency: tenants.currency,
      dataVersion: tenants.dataVersion,
    })
    .from(users)
    .innerJoin(tenants, eq(tenants.id, users.tenantId))
    .where(eq(users.id, claims.sub))
    .limit(1);

  if (!row || row.tenantId !== claims.tid) throw new UnauthorizedError('User not found');
  if (!row.isActive) throw new UnauthorizedError('User is deactivated');
  if (row.tenantStatus !== 'active') throw new ForbiddenError('Tenant account is suspended');
  if (row.passwordChangedAt && issuedBefore(claims, row.passwordChangedAt)) {
    throw new UnauthorizedError('Token revoked');
  }

  await userRateLimit.afterLookup(c, row.userId, row.plan, limitInEffect);

  // Role from the database, not the token: a demotion takes effect immediately.
  const { role } = row;
  const permissions = ROLE_PERMISSIONS[role];
  c.set('ctx', {
    ...serviceContext(c),
    requestId: c.var.requestId,
    actor: { userId: row.userId, role, permissions },
    tenant: {
      id: row.tenantId,
      plan: row.plan,
      timezone: row.timezone,
      // char(3): trimmed here once rather than in every view.
      currency: row.currency.trim(),
      dataVersion: row.dataVersion,
    },
  });
  await next();
});

/** Requires every listed permission (PRD §5.2); the 403 lists what was required. */
export function authorize(...required: Permission[]) {
  return createMiddleware<AppContext>(async (c, next) => {
    const { permissions, role } = c.var.ctx.actor;
    const missing = required.filter((p) => !permissions.includes(p));
    if (missing.length > 0) {
      throw new ForbiddenError('Insufficient permissions', { required, missing, role });
    }
    await next();
  });
}
