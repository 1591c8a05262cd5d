// Orders and order lines. Customer data is minimised: hashed city plus state and country codes only.
import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, currency, id, money, oneOf, tenantId, tstz, unitMoney, updatedAt } from './_columns';

export const ORDER_STATUSES = [
  'Pending',
  'Unshipped',
  'PartiallyShipped',
  'Shipped',
  'Canceled',
  'Unfulfillable',
  'InvoiceUnconfirmed',
  'PendingAvailability',
] as const;
export const ORDER_FULFILLMENT_CHANNELS = ['AFN', 'MFN'] as const;
export const FEE_STATUSES = ['estimated', 'settled'] as const;

export const orders = pgTable(
  'orders',
  {
    id: id(),
    tenantId: tenantId(),
    amazonOrderId: text('amazon_order_id').notNull(),
    marketplaceId: text('marketplace_id').notNull(),
    purchaseDate: tstz('purchase_date').notNull(),
    lastUpdateDate: tstz('last_update_date').notNull(),
    orderStatus: text('order_status', { enum: ORDER_STATUSES }).notNull(),
    fulfillmentChannel: text('fulfillment_channel', { enum: ORDER_FULFILLMENT_CHANNELS }),
    salesChannel: text('sales_channel'),
    orderTotal: money('order_total'),
    currency: currency(),
    numberOfItems: integer('number_of_items').notNull().default(0),
    isBusinessOrder: boolean('is_business_order').notNull().default(false),
    isPrime: boolean('is_prime').notNull().default(false),
    // Keyed hash of the normalised city (never the city itself); state and country as codes.
    shipCityHash: text('ship_city_hash'),
    shipStateCode: text('ship_state_code'),
    shipCountryCode: text('ship_country_code'),
    trackingNumber: text('tracking_number'),
    carrier: text('carrier'),
    estimatedDelivery: tstz('estimated_delivery'),
    promotionDiscount: money('promotion_discount'),
    tax: money('tax'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Idempotent order upserts from reports, searchOrders and notifications.
    unique('orders_tenant_amazon_order_id_uq').on(t.tenantId, t.amazonOrderId),
    index('idx_orders_tenant_date').on(t.tenantId, t.purchaseDate.desc()),
    index('orders_tenant_last_update_idx').on(t.tenantId, t.lastUpdateDate),
    oneOf('orders_status_check', t.orderStatus, ORDER_STATUSES),
    oneOf('orders_fulfillment_channel_check', t.fulfillmentChannel, ORDER_FULFILLMENT_CHANNELS),
  ],
);

export const orderItems = pgTable(
  'order_items',
  {
    id: id(),
    tenantId: tenantId(),
    amazonOrderId: text('amazon_order_id').notNull(),
    orderItemId: text('order_item_id').notNull(),
    asin: text('asin').notNull(),
    sku: text('sku'),
    title: text('title'),
    quantity: integer('quantity').notNull().default(0),
    itemPrice: money('item_price'),
    itemTax: money('item_tax'),
    shippingPrice: money('shipping_price'),
    promotionDiscount: money('promotion_discount'),
    currency: currency(),
    // 'estimated' until the order's fees post in finance events, then 'settled'.
    feeStatus: text('fee_status', { enum: FEE_STATUSES }).notNull().default('estimated'),
    referralFee: unitMoney('referral_fee'),
    fbaFee: unitMoney('fba_fee'),
    otherFees: unitMoney('other_fees'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('order_items_tenant_order_item_uq').on(t.tenantId, t.amazonOrderId, t.orderItemId),
    index('order_items_tenant_asin_idx').on(t.tenantId, t.asin),
    // Items belong to an order of the same tenant; upsert the order first.
    foreignKey({
      name: 'order_items_order_fk',
      columns: [t.tenantId, t.amazonOrderId],
      foreignColumns: [orders.tenantId, orders.amazonOrderId],
    }).onDelete('cascade'),
    oneOf('order_items_fee_status_check', t.feeStatus, FEE_STATUSES),
    check('order_items_quantity_check', sql`${t.quantity} >= 0`),
  ],
);

export type Order = typeof orders.$inferSelect;
export type NewOrder = typeof orders.$inferInsert;
export type OrderItem = typeof orderItems.$inferSelect;
export type NewOrderItem = typeof orderItems.$inferInsert;
