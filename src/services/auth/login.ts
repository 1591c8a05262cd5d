import { eq, sql } from 'drizzle-orm';
import { tenants, users } from '../../db/schema';
import { ForbiddenError, RateLimitError, UnauthorizedError } from '../../lib/errors';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../../lib/password';
import type { ServiceContext } from '../context';
import { recordActivity } from './activity';
import { normalizeEmail } from './email';
import { clearFailedLogins, recordFailedLogin } from './lockout';
import { type ClientMeta, issueSession } from './sessions';
import { tenantView, userView } from './views';

const INVALID = 'Invalid email or password';

export async function login(
  ctx: Pick<ServiceContext, 'db' | 'logger' | 'env'>,
  input: { email: string; password: string; client?: ClientMeta },
) {
  const { db } = ctx;
  const [row] = await db
    .select({
      user: users,
      tenant: tenants,
      lockedForSeconds: sql<number | null>`ceil(extract(epoch from (${users.lockedUntil} - now())))::int`,
    })
    .from(users)
    .innerJoin(tenants, eq(tenants.id, users.tenantId))
    .where(sql`lower(${users.email}) = ${normalizeEmail(input.email)}`)
    .limit(1);

  // Unknown email, or an invited member who has not set a password: same work, same answer.
  if (!row?.user.passwordHash) {
    await burnPasswordCheck(input.password);
    throw new UnauthorizedError(INVALID);
  }
  const { user, tenant } = row;
  const lockedFor = Number(row.lockedForSeconds ?? 0);
  if (lockedFor > 0) {
    throw new RateLimitError(lockedFor, 'Too many failed login attempts; try again later');
  }

  const check = await verifyPassword(input.password, row.user.passwordHash);
  if (!check.valid) {
    await recordFailedLogin(ctx, { id: user.id, tenantId: user.tenantId });
    throw new UnauthorizedError(INVALID);
  }
  // Only a caller who knows the password learns the account's state.
  if (!user.isActive) throw new ForbiddenError('User account is deactivated');
  if (tenant.status !== 'active') throw new ForbiddenError('Tenant account is suspended');

  await clearFailedLogins(db, user.id);
  if (check.needsRehash) {
    await db
      .update(users)
      .set({ passwordHash: await hashPassword(input.password) })
      .where(eq(users.id, user.id));
  }
  await recordActivity(db, {
    tenantId: user.tenantId,
    userId: user.id,
    action: 'auth.login',
    entityType: 'user',
    entityId: user.id,
    details: { rehashed: check.needsRehash },
  });
  const tokens = await issueSession(ctx, { user, client: input.client });
  return { success: true as const, user: userView(user), tokens, tenant: tenantView(tenant) };
}
