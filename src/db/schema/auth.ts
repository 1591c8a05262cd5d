// Users and their tokens. Emails are unique across all tenants (login is by email alone).
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, oneOf, tenantId, tstz, updatedAt } from './_columns';
import { ROLES } from './roles';

export const users = pgTable(
  'users',
  {
    id: id(),
    tenantId: tenantId(),
    email: text('email').notNull(),
    // Null until an invited member accepts the invite and sets a password.
    passwordHash: text('password_hash'),
    fullName: text('full_name').notNull(),
    phone: text('phone'),
    role: text('role', { enum: ROLES }).notNull().default('viewer'),
    isActive: boolean('is_active').notNull().default(true),
    lastLoginAt: tstz('last_login_at'),
    // Access tokens issued before this instant are refused.
    passwordChangedAt: tstz('password_changed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Case-insensitive uniqueness; look users up with lower(email) = lower($1).
    uniqueIndex('users_email_lower_uq').on(sql`lower(${t.email})`),
    index('users_tenant_idx').on(t.tenantId),
    oneOf('users_role_check', t.role, ROLES),
  ],
);

export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: id(),
    tenantId: tenantId(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // All tokens of one login share a family; reuse of a used token revokes the whole family.
    familyId: uuid('family_id').notNull(),
    tokenHash: text('token_hash').notNull().unique('refresh_tokens_token_hash_uq'),
    expiresAt: tstz('expires_at').notNull(),
    usedAt: tstz('used_at'),
    revokedAt: tstz('revoked_at'),
    replacedBy: uuid('replaced_by'),
    userAgent: text('user_agent'),
    ipHash: text('ip_hash'),
    createdAt: createdAt(),
  },
  (t) => [
    index('refresh_tokens_tenant_user_idx').on(t.tenantId, t.userId),
    index('refresh_tokens_family_idx').on(t.familyId),
  ],
);

export const inviteTokens = pgTable(
  'invite_tokens',
  {
    id: id(),
    tenantId: tenantId(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique('invite_tokens_token_hash_uq'),
    expiresAt: tstz('expires_at').notNull(),
    usedAt: tstz('used_at'),
    createdAt: createdAt(),
  },
  (t) => [index('invite_tokens_tenant_user_idx').on(t.tenantId, t.userId)],
);

export const THROTTLE_SCOPES = ['login', 'password_change'] as const;
export type ThrottleScope = (typeof THROTTLE_SCOPES)[number];

/**
 * Failed-password counters (login lockout, change-password), in Postgres because they must be
 * exact under concurrency (KV is eventually consistent). One row per (scope, subject, network):
 * the subject is a keyed hash of the email for logins (unknown emails get rows too, so they behave
 * exactly like real accounts) or the user id; the network is a keyed hash of the client's /32 or
 * /64, or '*' for the ceiling across every network. No tenant: a login has none yet.
 */
export const authThrottles = pgTable(
  'auth_throttles',
  {
    scope: text('scope', { enum: THROTTLE_SCOPES }).notNull(),
    subject: text('subject').notNull(),
    network: text('network').notNull(),
    // Attempts claimed in the current window, counted before the password is checked.
    attempts: integer('attempts').notNull().default(0),
    windowStartedAt: tstz('window_started_at').notNull().defaultNow(),
    lockedUntil: tstz('locked_until'),
    // Consecutive lockouts; each lasts longer. Cleared by a correct password.
    lockoutCount: integer('lockout_count').notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'auth_throttles_pk', columns: [t.scope, t.subject, t.network] }),
    index('auth_throttles_updated_idx').on(t.updatedAt),
    oneOf('auth_throttles_scope_check', t.scope, THROTTLE_SCOPES),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type RefreshToken = typeof refreshTokens.$inferSelect;
export type InviteToken = typeof inviteTokens.$inferSelect;
