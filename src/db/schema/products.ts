// Catalog, stock and price/offer history per (tenant, ASIN, marketplace).
import { type SQL, sql } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  unique,
} from 'drizzle-orm/pg-core';
import { createdAt, currency, id, money, oneOf, tenantId, tstz, unitMoney, updatedAt } from './_columns';

export const FULFILLMENT_CHANNELS = ['FBA', 'FBM'] as const;
export const BUY_BOX_STATUSES = ['winner', 'lost', 'suppressed', 'unknown'] as const;

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const products = pgTable(
  'products',
  {
    id: id(),
    tenantId: tenantId(),
    asin: text('asin').notNull(),
    marketplaceId: text('marketplace_id').notNull(),
    sku: text('sku'),
    title: text('title'),
    brand: text('brand'),
    category: text('category'),
    imageUrl: text('image_url'),
    fulfillmentChannel: text('fulfillment_channel', { enum: FULFILLMENT_CHANNELS }),
    price: money('price'),
    currency: currency(),
    // COGS per unit, entered by the user; never overwritten by a sync.
    cost: unitMoney('cost'),
    fbaStock: integer('fba_stock').notNull().default(0),
    fbmStock: integer('fbm_stock').notNull().default(0),
    inboundStock: integer('inbound_stock').notNull().default(0),
    reservedStock: integer('reserved_stock').notNull().default(0),
    totalStock: integer('total_stock').notNull().default(0),
    salesRank: integer('sales_rank'),
    buyBoxStatus: text('buy_box_status', { enum: BUY_BOX_STATUSES }).notNull().default('unknown'),
    buyBoxPrice: money('buy_box_price'),
    isActive: boolean('is_active').notNull().default(true),
    listingStatus: text('listing_status'),
    // User-editable planning fields (PUT /api/products/:asin).
    minStockAlert: integer('min_stock_alert'),
    maxStock: integer('max_stock'),
    targetMargin: numeric('target_margin', { precision: 5, scale: 2, mode: 'string' }),
    leadTimeDays: integer('lead_time_days').notNull().default(30),
    safetyStockDays: integer('safety_stock_days').notNull().default(7),
    notes: text('notes'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    customFields: jsonb('custom_fields').$type<Record<string, unknown>>().notNull().default({}),
    lastSyncAt: tstz('last_sync_at'),
    // Full-text search over title, ASIN and SKU (PRD §6.1). 'simple' config: no stemming, works for
    // every marketplace language and for codes; prefix search with to_tsquery('simple', 'abc:*').
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      (): SQL =>
        sql`to_tsvector('simple', coalesce("title", '') || ' ' || "asin" || ' ' || coalesce("sku", ''))`,
    ),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Idempotent catalog/inventory upserts.
    unique('products_tenant_asin_marketplace_uq').on(t.tenantId, t.asin, t.marketplaceId),
    index('products_tenant_sku_idx').on(t.tenantId, t.sku),
    index('idx_products_tenant_active').on(t.tenantId, t.isActive),
    index('idx_products_search').using('gin', t.searchVector),
    oneOf('products_fulfillment_channel_check', t.fulfillmentChannel, FULFILLMENT_CHANNELS),
    oneOf('products_buy_box_status_check', t.buyBoxStatus, BUY_BOX_STATUSES),
    check('products_target_margin_check', sql`${t.targetMargin} BETWEEN 0 AND 100`),
    check('products_stock_limits_check', sql`${t.minStockAlert} >= 0 AND ${t.maxStock} > ${t.minStockAlert}`),
  ],
);

/** One stock snapshot per product per day (tenant-local date), written by the inventory sync. */
export const inventoryHistory = pgTable(
  'inventory_history',
  {
    id: id(),
    tenantId: tenantId(),
    asin: text('asin').notNull(),
    marketplaceId: text('marketplace_id').notNull(),
    sku: text('sku'),
    date: date('date', { mode: 'string' }).notNull(),
    fulfillable: integer('fulfillable').notNull().default(0),
    inbound: integer('inbound').notNull().default(0),
    reserved: integer('reserved').notNull().default(0),
    unfulfillable: integer('unfulfillable').notNull().default(0),
    total: integer('total').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    // A re-run of the daily snapshot overwrites, never duplicates.
    unique('inventory_history_tenant_asin_mkt_date_uq').on(t.tenantId, t.asin, t.marketplaceId, t.date),
    // Days in stock over a recent window for every listing (product list velocity).
    index('inventory_history_tenant_date_idx').on(t.tenantId, t.date),
  ],
);

export const priceHistory = pgTable(
  'price_history',
  {
    id: id(),
    tenantId: tenantId(),
    asin: text('asin').notNull(),
    marketplaceId: text('marketplace_id').notNull(),
    capturedAt: tstz('captured_at').notNull(),
    ourPrice: money('our_price'),
    buyBoxPrice: money('buy_box_price'),
    lowestPrice: money('lowest_price'),
    currency: currency(),
    buyBoxWinner: boolean('buy_box_winner'),
    offerCount: integer('offer_count'),
    salesRank: integer('sales_rank'),
  },
  (t) => [
    unique('price_history_tenant_asin_mkt_captured_uq').on(t.tenantId, t.asin, t.marketplaceId, t.capturedAt),
  ],
);

/** Latest offer of each seller on a listing (overwritten on every pricing sync). */
export const competitorOffers = pgTable(
  'competitor_offers',
  {
    id: id(),
    tenantId: tenantId(),
    asin: text('asin').notNull(),
    marketplaceId: text('marketplace_id').notNull(),
    sellerId: text('seller_id').notNull(),
    price: money('price').notNull(),
    shipping: money('shipping'),
    currency: currency().notNull(),
    isBuyBoxWinner: boolean('is_buy_box_winner').notNull().default(false),
    isFba: boolean('is_fba').notNull().default(false),
    feedbackRating: numeric('feedback_rating', { precision: 5, scale: 2, mode: 'string' }),
    capturedAt: tstz('captured_at').notNull().defaultNow(),
  },
  (t) => [
    unique('competitor_offers_tenant_asin_mkt_seller_uq').on(t.tenantId, t.asin, t.marketplaceId, t.sellerId),
  ],
);

export type Product = typeof products.$inferSelect;
export type NewProduct = typeof products.$inferInsert;
export type InventoryHistory = typeof inventoryHistory.$inferSelect;
export type PriceHistory = typeof priceHistory.$inferSelect;
export type CompetitorOffer = typeof competitorOffers.$inferSelect;
