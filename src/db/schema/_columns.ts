// Shared column builders. Each helper returns a fresh builder, so tables never share one instance.
import { sql } from 'drizzle-orm';
import { char, check, numeric, type PgColumn, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants';

export const id = () => uuid('id').primaryKey().defaultRandom();

/** tenant_id on every tenant-owned table; deleting a tenant removes all of its rows. */
export const tenantId = () =>
  uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' });

export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const createdAt = () => tstz('created_at').notNull().defaultNow();
export const updatedAt = () =>
  tstz('updated_at')
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

/** Money: exact numeric(14,2), read and written as a decimal string (never a float). */
export const money = (name: string) => numeric(name, { precision: 14, scale: 2, mode: 'string' });

/** Fees and per-unit amounts (COGS, bids, fee lines) keep 4 decimals. */
export const unitMoney = (name: string) => numeric(name, { precision: 14, scale: 4, mode: 'string' });

/** ISO 4217 code beside every money column. */
export const currency = (name = 'currency') => char(name, { length: 3 });

/**
 * CHECK (col IN (...)) for a closed set of text values. We prefer text + check over pgEnum:
 * adding a value is a one-line migration and never needs ALTER TYPE outside a transaction.
 */
export const oneOf = (name: string, column: PgColumn, values: readonly string[]) =>
  check(name, sql`${column} IN (${sql.raw(values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', '))})`);
