import { and, eq, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { authThrottles, type ThrottleScope } from '../../db/schema';
import type { AppEnv } from '../../env';
import { keyedHash } from '../../lib/crypto';
import { RateLimitError } from '../../lib/errors';

/**
 * Failed-password throttling for login and change-password. An attempt is counted *before* the
 * password is checked, in one transaction over its counter rows, so a parallel burst cannot get
 * more checks than the limit; a correct password then clears the counter it belongs to.
 */
export interface ThrottlePolicy {
  /** Attempts per window; the attempt that reaches it locks the counter. */
  limit: number;
  windowSeconds: number;
  /** Lock length of the n-th consecutive lockout (1-based). */
  lockSeconds: (lockoutCount: number) => number;
  /** A correct password resets the counter (otherwise it only runs out with its window). */
  clearOnSuccess: boolean;
}

const BASE_LOCK_SECONDS = 15 * 60;
const MAX_LOCK_SECONDS = 24 * 60 * 60;

/** The n-th lockout (1-based) lasts 15 min × 2^(n-1), at most a day. */
export function lockSecondsFor(lockoutCount: number): number {
  return Math.min(MAX_LOCK_SECONDS, BASE_LOCK_SECONDS * 2 ** Math.max(0, lockoutCount - 1));
}

/** PRD §2.1: 5 wrong passwords within 15 minutes lock, here per account and client network. */
export const PASSWORD_GUESSES: ThrottlePolicy = {
  limit: 5,
  windowSeconds: 15 * 60,
  lockSeconds: lockSecondsFor,
  clearOnSuccess: true,
};

/**
 * Every login attempt for one account from all networks together: bounds a guesser spread over
 * many addresses. Locking a victim out this way takes 20 networks each spending its 5 guesses, and
 * lasts 15 minutes.
 */
export const ACCOUNT_CEILING: ThrottlePolicy = {
  limit: 100,
  windowSeconds: 15 * 60,
  lockSeconds: () => BASE_LOCK_SECONDS,
  clearOnSuccess: false,
};

/** The network value of the account-wide counter. */
export const ALL_NETWORKS = '*';

export interface ThrottleKey {
  scope: ThrottleScope;
  subject: string;
  network: string;
  policy: ThrottlePolicy;
}

export interface ThrottleLock {
  key: ThrottleKey;
  lockoutCount: number;
  lockSeconds: number;
}

/** A counted attempt, and the counters it locked (reached their limit). */
export interface Claim {
  keys: ThrottleKey[];
  locks: ThrottleLock[];
}

/**
 * The client's network as one subscriber holds it: an IPv6 address's /64 (a host can rotate
 * through the rest freely) or the whole IPv4 address.
 */
export function clientNetwork(ip: string | undefined): string {
  const address = (ip ?? '').trim().toLowerCase().replace(/%.*$/, '');
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (v4) return v4[1]!;
  if (!address.includes(':')) return address || 'unknown';
  const parts = address.split('::');
  if (parts.length > 2) return address;
  const groups = (part: string | undefined) =>
    part ? part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : [];
  const head = groups(parts[0]);
  const tail = groups(parts[1]);
  const full =
    parts.length === 2 ? [...head, ...Array(8 - head.length - tail.length).fill('0'), ...tail] : head;
  const prefix = full.slice(0, 4);
  if (full.length !== 8 || !prefix.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return address;
  return `${prefix.map((g) => Number.parseInt(g, 16).toString(16)).join(':')}::/64`;
}

/**
 * A login's counters: (email, network) and (email, every network). Keyed by the email, never by a
 * user row, so an unknown email is counted and locked exactly like a real account.
 */
export async function loginThrottleKeys(
  env: Pick<AppEnv, 'TOKEN_ENCRYPTION_KEYS'>,
  input: { email: string; ip?: string },
): Promise<ThrottleKey[]> {
  const keys = env.TOKEN_ENCRYPTION_KEYS;
  const subject = await keyedHash(input.email, keys, 'throttle:login:email');
  const network = await keyedHash(clientNetwork(input.ip), keys, 'throttle:network');
  return [
    { scope: 'login', subject, network, policy: PASSWORD_GUESSES },
    { scope: 'login', subject, network: ALL_NETWORKS, policy: ACCOUNT_CEILING },
  ];
}

/** Change-password needs a valid access token: one counter per user, wherever the caller is. */
export function passwordChangeThrottleKeys(userId: string): ThrottleKey[] {
  return [{ scope: 'password_change', subject: userId, network: ALL_NETWORKS, policy: PASSWORD_GUESSES }];
}

const keyIs = (key: ThrottleKey) =>
  and(
    eq(authThrottles.scope, key.scope),
    eq(authThrottles.subject, key.subject),
    eq(authThrottles.network, key.network),
  );

/** The stored window is over (or its lock ran out): the next attempt starts a new one. */
function windowOver(policy: ThrottlePolicy): SQL {
  return sql`CASE WHEN ${authThrottles.lockedUntil} IS NOT NULL THEN ${authThrottles.lockedUntil} <= now()
    ELSE ${authThrottles.windowStartedAt} <= now() - make_interval(secs => ${policy.windowSeconds}::int) END`;
}

/** Counts one attempt on the key's row; undefined when the row refuses it (locked or full). */
async function countAttempt(db: Db, key: ThrottleKey) {
  const fresh = windowOver(key.policy);
  const [row] = await db
    .insert(authThrottles)
    .values({ scope: key.scope, subject: key.subject, network: key.network, attempts: 1 })
    .onConflictDoUpdate({
      target: [authThrottles.scope, authThrottles.subject, authThrottles.network],
      set: {
        attempts: sql`CASE WHEN ${fresh} THEN 1 ELSE ${authThrottles.attempts} + 1 END`,
        windowStartedAt: sql`CASE WHEN ${fresh} THEN now() ELSE ${authThrottles.windowStartedAt} END`,
        lockedUntil: sql`CASE WHEN ${fresh} THEN NULL ELSE ${authThrottles.lockedUntil} END`,
        updatedAt: sql`now()`,
      },
      setWhere: sql`${fresh} OR (${authThrottles.lockedUntil} IS NULL AND ${authThrottles.attempts} < ${key.policy.limit})`,
    })
    .returning({ attempts: authThrottles.attempts, lockoutCount: authThrottles.lockoutCount });
  return row;
}

async function lock(db: Db, key: ThrottleKey, lockoutCount: number): Promise<ThrottleLock> {
  const lockSeconds = key.policy.lockSeconds(lockoutCount);
  await db
    .update(authThrottles)
    .set({ lockoutCount, lockedUntil: sql`now() + make_interval(secs => ${lockSeconds}::int)` })
    .where(keyIs(key));
  return { key, lockoutCount, lockSeconds };
}

async function secondsUntilOpen(db: Db, key: ThrottleKey): Promise<number> {
  const [row] = await db
    .select({
      seconds: sql<number>`ceil(extract(epoch from coalesce(${authThrottles.lockedUntil},
        ${authThrottles.windowStartedAt} + make_interval(secs => ${key.policy.windowSeconds}::int)) - now()))::int`,
    })
    .from(authThrottles)
    .where(keyIs(key));
  return Number(row?.seconds ?? key.policy.windowSeconds);
}

/**
 * Counts an attempt on every key before the password is checked. Throws 429 (the same answer for
 * every account, known or not) when any counter is locked; nothing is counted then.
 */
export async function claimAttempt(db: Db, keys: ThrottleKey[]): Promise<Claim> {
  return db.transaction(async (tx) => {
    const locks: ThrottleLock[] = [];
    for (const key of keys) {
      const counted = await countAttempt(tx, key);
      if (!counted) {
        // Throwing rolls back the attempts already counted on the other keys.
        throw new RateLimitError(
          await secondsUntilOpen(tx, key),
          'Too many failed attempts; try again later',
        );
      }
      if (counted.attempts >= key.policy.limit) locks.push(await lock(tx, key, counted.lockoutCount + 1));
    }
    return { keys, locks };
  });
}

/** The password was right: its counters that reset on success are cleared (and their locks). */
export async function settleAttempt(db: Db, claim: Claim): Promise<void> {
  for (const key of claim.keys) {
    if (key.policy.clearOnSuccess) await db.delete(authThrottles).where(keyIs(key));
  }
}

/** Locks that still hold after the attempt: all of them on failure, the lasting ones on success. */
export function locksAfter(claim: Claim, passwordValid: boolean): ThrottleLock[] {
  return passwordValid ? claim.locks.filter((l) => !l.key.policy.clearOnSuccess) : claim.locks;
}

/** Daily sweep: counters idle for two days (longer than any window or lock) are forgotten. */
export async function purgeIdleThrottles(db: Db): Promise<number> {
  const idle = sql`now() - interval '2 days'`;
  const purged = await db
    .delete(authThrottles)
    .where(
      and(
        lt(authThrottles.updatedAt, idle),
        or(isNull(authThrottles.lockedUntil), lt(authThrottles.lockedUntil, sql`now()`)),
      ),
    )
    .returning({ scope: authThrottles.scope });
  return purged.length;
}
