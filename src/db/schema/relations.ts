// Relations for Drizzle's relational query API (db.query.*). They add no SQL constraints.
import { relations } from 'drizzle-orm';
import { amazonCredentials } from './amazon';
import { inviteTokens, refreshTokens, users } from './auth';
import { orderItems, orders } from './orders';
import { tenants } from './tenants';

export const tenantsRelations = relations(tenants, ({ many }) => ({
  users: many(users),
  amazonCredentials: many(amazonCredentials),
}));

export const usersRelations = relations(users, ({ one, many }) => ({
  tenant: one(tenants, { fields: [users.tenantId], references: [tenants.id] }),
  refreshTokens: many(refreshTokens),
  inviteTokens: many(inviteTokens),
}));

export const refreshTokensRelations = relations(refreshTokens, ({ one }) => ({
  user: one(users, { fields: [refreshTokens.userId], references: [users.id] }),
}));

export const inviteTokensRelations = relations(inviteTokens, ({ one }) => ({
  user: one(users, { fields: [inviteTokens.userId], references: [users.id] }),
}));

export const amazonCredentialsRelations = relations(amazonCredentials, ({ one }) => ({
  tenant: one(tenants, { fields: [amazonCredentials.tenantId], references: [tenants.id] }),
}));

export const ordersRelations = relations(orders, ({ many }) => ({
  items: many(orderItems),
}));

export const orderItemsRelations = relations(orderItems, ({ one }) => ({
  order: one(orders, {
    fields: [orderItems.tenantId, orderItems.amazonOrderId],
    references: [orders.tenantId, orders.amazonOrderId],
  }),
}));
