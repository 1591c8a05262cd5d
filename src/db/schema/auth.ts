// Users and their tokens. Emails are unique across all tenants (login is by email alone).
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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
    // Lockout state lives here (Postgres, strongly consistent), not in KV.
    failedLoginCount: integer('failed_login_count').notNull().default(0),
    lastFailedLoginAt: tstz('last_failed_login_at'),
    lockedUntil: tstz('locked_until'),
    lockoutCount: integer('lockout_count').notNull().default(0),
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

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type RefreshToken = typeof refreshTokens.$inferSelect;
export type InviteToken = typeof inviteTokens.$inferSelect;
