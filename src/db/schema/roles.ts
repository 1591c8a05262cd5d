// Roles and permissions. The TS map is the source of truth for code; the migration
// drizzle/*_seed_reference_data.sql inserts the same sets into role_permissions (keep them in step).
import { pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { oneOf } from './_columns';

export const ROLES = ['owner', 'admin', 'analyst', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'finance.view',
  'finance.export',
  'products.view',
  'products.edit',
  'orders.view',
  'orders.export',
  'ads.view',
  'ads.manage',
  'sync.run',
  'sync.view',
  'alerts.view',
  'alerts.manage',
  'settings.manage',
  'users.manage',
  'exports.create',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const VIEW = PERMISSIONS.filter((p) => p.endsWith('.view'));

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  owner: PERMISSIONS,
  // Owner-only powers (transfer ownership, delete the tenant) are enforced in code, not here.
  admin: PERMISSIONS,
  analyst: [...VIEW, 'finance.export', 'orders.export', 'exports.create', 'sync.run', 'alerts.manage'],
  viewer: VIEW,
};

/** Global (not tenant-owned): the same for every tenant, readable from SQL for reports and audits. */
export const rolePermissions = pgTable(
  'role_permissions',
  {
    role: text('role', { enum: ROLES }).notNull(),
    permission: text('permission', { enum: PERMISSIONS }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.role, t.permission], name: 'role_permissions_pk' }),
    oneOf('role_permissions_role_check', t.role, ROLES),
  ],
);

export type RolePermission = typeof rolePermissions.$inferSelect;
