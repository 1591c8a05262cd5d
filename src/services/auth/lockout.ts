import { and, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { users } from '../../db/schema';
import type { ServiceContext } from '../context';
import { recordActivity } from './activity';

/** PRD §2.1: 5 failed logins within 15 minutes lock the account. */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_WINDOW_SECONDS = 15 * 60;
const BASE_LOCK_SECONDS = 15 * 60;
const MAX_LOCK_SECONDS = 24 * 60 * 60;

/** The n-th lockout (1-based) lasts 15 min × 2^(n-1), at most a day. */
export function lockSecondsFor(lockoutCount: number): number {
  return Math.min(MAX_LOCK_SECONDS, BASE_LOCK_SECONDS * 2 ** Math.max(0, lockoutCount - 1));
}

/**
 * Counts a failed password for the account; locks it on the threshold. Counting happens in
 * Postgres with one conditional UPDATE, so concurrent attempts cannot slip past the limit.
 */
export async function recordFailedLogin(
  ctx: Pick<ServiceContext, 'db' | 'logger'>,
  user: { id: string; tenantId: string },
): Promise<void> {
  const { db, logger } = ctx;
  const windowStart = sql`now() - make_interval(secs => ${LOCKOUT_WINDOW_SECONDS}::int)`;
  const [counted] = await db
    .update(users)
    .set({
      failedLoginCount: sql`CASE WHEN ${users.lastFailedLoginAt} IS NULL OR ${users.lastFailedLoginAt} < ${windowStart}
        THEN 1 ELSE ${users.failedLoginCount} + 1 END`,
      lastFailedLoginAt: sql`now()`,
    })
    .where(eq(users.id, user.id))
    .returning({ failedLoginCount: users.failedLoginCount, lockoutCount: users.lockoutCount });
  await recordActivity(db, {
    tenantId: user.tenantId,
    userId: user.id,
    action: 'auth.login_failed',
    entityType: 'user',
    entityId: user.id,
    details: { failedLoginCount: counted?.failedLoginCount },
  });
  if (!counted || counted.failedLoginCount < LOCKOUT_THRESHOLD) return;

  const lockSeconds = lockSecondsFor(counted.lockoutCount + 1);
  const [locked] = await db
    .update(users)
    .set({
      lockoutCount: sql`${users.lockoutCount} + 1`,
      failedLoginCount: 0,
      lockedUntil: sql`now() + make_interval(secs => ${lockSeconds}::int)`,
    })
    .where(and(eq(users.id, user.id), gte(users.failedLoginCount, LOCKOUT_THRESHOLD)))
    .returning({ lockoutCount: users.lockoutCount });
  if (!locked) return;
  logger.warn('account locked after failed logins', {
    userId: user.id,
    tenantId: user.tenantId,
    lockoutCount: locked.lockoutCount,
    lockSeconds,
  });
  await recordActivity(db, {
    tenantId: user.tenantId,
    userId: user.id,
    action: 'auth.lockout',
    entityType: 'user',
    entityId: user.id,
    details: { lockoutCount: locked.lockoutCount, lockSeconds },
  });
}

export async function clearFailedLogins(db: Db, userId: string): Promise<void> {
  await db
    .update(users)
    .set({
      failedLoginCount: 0,
      lastFailedLoginAt: null,
      lockedUntil: null,
      lockoutCount: 0,
      lastLoginAt: sql`now()`,
    })
    .where(eq(users.id, userId));
}
