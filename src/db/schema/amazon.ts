// Amazon connections and the marketplace reference data.
import { sql } from 'drizzle-orm';
import { boolean, char, integer, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, currency, id, oneOf, tenantId, tstz, updatedAt } from './_columns';

export const CREDENTIAL_TYPES = ['SPAPI', 'ADS'] as const;
export const AMAZON_REGIONS = ['na', 'eu', 'fe'] as const;

export const amazonCredentials = pgTable(
  'amazon_credentials',
  {
    id: id(),
    tenantId: tenantId(),
    type: text('type', { enum: CREDENTIAL_TYPES }).notNull(),
    sellingPartnerId: text('selling_partner_id'),
    region: text('region', { enum: AMAZON_REGIONS }).notNull(),
    marketplaceIds: text('marketplace_ids').array().notNull().default(sql`'{}'::text[]`),
    // AES-GCM ciphertext (base64) of the LWA refresh token; never stored in plaintext.
    encryptedRefreshToken: text('encrypted_refresh_token').notNull(),
    tokenIv: text('token_iv').notNull(),
    // Which encryption key produced the ciphertext, so keys can rotate.
    keyVersion: integer('key_version').notNull(),
    isActive: boolean('is_active').notNull().default(true),
    lastError: text('last_error'),
    lastUsedAt: tstz('last_used_at'),
    connectedAt: tstz('connected_at').notNull().defaultNow(),
    revokedAt: tstz('revoked_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // One SP-API and one Ads connection per tenant; re-connecting upserts this row.
    unique('amazon_credentials_tenant_type_uq').on(t.tenantId, t.type),
    oneOf('amazon_credentials_type_check', t.type, CREDENTIAL_TYPES),
    oneOf('amazon_credentials_region_check', t.region, AMAZON_REGIONS),
  ],
);

/** Global reference table (no tenant_id), seeded by a migration. id is Amazon's MarketplaceId. */
export const marketplaces = pgTable(
  'marketplaces',
  {
    id: text('id').primaryKey(),
    countryCode: char('country_code', { length: 2 }).notNull(),
    name: text('name').notNull(),
    currency: currency().notNull(),
    region: text('region', { enum: AMAZON_REGIONS }).notNull(),
    defaultTimezone: text('default_timezone').notNull(),
  },
  (t) => [oneOf('marketplaces_region_check', t.region, AMAZON_REGIONS)],
);

/** Marketplaces a tenant's seller account participates in (from getMarketplaceParticipations). */
export const tenantMarketplaces = pgTable(
  'tenant_marketplaces',
  {
    id: id(),
    tenantId: tenantId(),
    // No FK to marketplaces: Amazon also reports participations we do not seed (e.g. non-Amazon
    // channels), and a connect must not fail on them.
    marketplaceId: text('marketplace_id').notNull(),
    sellerId: text('seller_id'),
    participating: boolean('participating').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('tenant_marketplaces_tenant_marketplace_uq').on(t.tenantId, t.marketplaceId)],
);

export type AmazonCredential = typeof amazonCredentials.$inferSelect;
export type NewAmazonCredential = typeof amazonCredentials.$inferInsert;
export type Marketplace = typeof marketplaces.$inferSelect;
export type TenantMarketplace = typeof tenantMarketplaces.$inferSelect;
