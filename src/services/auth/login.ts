import { eq, sql } from 'drizzle-orm';
import { tenants, type User, users } from '../../db/schema';
import { ForbiddenError, UnauthorizedError } from '../../lib/errors';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../../lib/password';
import type { ServiceContext } from '../context';
import { recordActivity } from './activity';
import { normalizeEmail } from './email';
import { type ClientMeta, issueSession } from './sessions';
import { type Claim, claimAttempt, locksAfter, loginThrottleKeys, settleAttempt } from './throttle';
import { tenantView, userView } from './views';

const INVALID = 'Invalid email or password';

type LoginContext = Pick<ServiceContext, 'db' | 'logger' | 'env'>;

/**
 * Audits a finished attempt and logs the counters it locked. Ids only: the email never reaches a
 * log line, and an unknown email has no user row to audit.
 */
async function recordOutcome(
  ctx: LoginContext,
  input: { claim: Claim; user: User | undefined; passwordValid: boolean },
): Promise<void> {
  const { user } = input;
  const locks = locksAfter(input.claim, input.passwordValid);
  for (const { key, lockoutCount, lockSeconds } of locks) {
    const scope = key.policy.clearOnSuccess ? 'network' : 'account';
    ctx.logger.warn('account locked after failed logins', {
      userId: user?.id ?? null,
      tenantId: user?.tenantId ?? null,
      scope,
      lockoutCount,
      lockSeconds,
    });
    if (user) {
      await recordActivity(ctx.db, {
        tenantId: user.tenantId,
        userId: user.id,
        action: 'auth.lockout',
        entityType: 'user',
        entityId: user.id,
        details: { scope, lockoutCount, lockSeconds },
      });
    }
  }
  if (user && !input.passwordValid) {
    await recordActivity(ctx.db, {
      tenantId: user.tenantId,
      userId: user.id,
      action: 'auth.login_failed',
      entityType: 'user',
      entityId: user.id,
    });
  }
}

/**
 * Known and unknown emails take the same path: the attempt is counted (and may be refused with
 * 429) before anything is looked up, and an unknown email costs one dummy password check.
 */
export async function login(
  ctx: LoginContext,
  input: { email: string; password: string; client?: ClientMeta },
) {
  const { db } = ctx;
  const email = normalizeEmail(input.email);
  const claim = await claimAttempt(db, await loginThrottleKeys(ctx.env, { email, ip: input.client?.ip }));
  const [row] = await db
    .select({ user: users, tenant: tenants })
    .from(users)
    .innerJoin(tenants, eq(tenants.id, users.tenantId))
    .where(sql`lower(${users.email}) = ${email}`)
    .limit(1);

  // An invited member who has not set a password yet answers like an unknown email.
  const passwordHash = row?.user.passwordHash;
  const check = passwordHash ? await verifyPassword(input.password, passwordHash) : null;
  if (!passwordHash) await burnPasswordCheck(input.password);
  const passwordValid = check?.valid === true;
  if (passwordValid) await settleAttempt(db, claim);
  await recordOutcome(ctx, { claim, user: row?.user, passwordValid });
  if (!row || !check?.valid) throw new UnauthorizedError(INVALID);

  const { user, tenant } = row;
  // Only a caller who knows the password learns the account's state.
  if (!user.isActive) throw new ForbiddenError('User account is deactivated');
  if (tenant.status !== 'active') throw new ForbiddenError('Tenant account is suspended');

  await db.update(users).set({ lastLoginAt: sql`now()` }).where(eq(users.id, user.id));
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
