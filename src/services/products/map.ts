import { toIso } from '../../lib/dates';
import { decimal, type Money, money } from '../../lib/money';

/** One row of `productColumns` (metrics-sql.ts): numerics cast to text there, counts to int. */
export type ProductRow = {
  id: string;
  asin: string;
  marketplace_id: string;
  sku: string | null;
  title: string | null;
  brand: string | null;
  category: string | null;
  image_url: string | null;
  fulfillment_channel: string | null;
  price: string | null;
  currency: string | null;
  cost: string | null;
  fba_stock: number;
  fbm_stock: number;
  inbound_stock: number;
  reserved_stock: number;
  total_stock: number;
  available: number;
  sales_rank: number | null;
  buy_box_status: string;
  buy_box_price: string | null;
  is_active: boolean;
  listing_status: string | null;
  min_stock_alert: number | null;
  max_stock: number | null;
  target_margin: string | null;
  lead_time_days: number;
  safety_stock_days: number;
  notes: string | null;
  tags: string[];
  custom_fields: Record<string, unknown>;
  /** Raw SQL timestamps: a Date or a string depending on the driver (read with `toIso`). */
  last_sync_at: Date | string | null;
  updated_at: Date | string;
  units30: number;
  revenue30: string;
  profit30: string;
  margin: string | null;
  /** Rounded to 2 decimals for display; `velocity_exact` feeds the recommendations. */
  velocity: string;
  velocity_exact: string;
  days_of_stock: string | null;
  stock_level: string;
};

const num = (v: string | null) => (v === null ? null : Number(v));
const moneyOrNull = (v: string | null, currency: string): Money | null =>
  v === null ? null : money(v, currency);

/** A product with its 30-day metrics, in the shape every products endpoint returns. */
export function toProduct(r: ProductRow, fallbackCurrency: string) {
  const currency = r.currency ?? fallbackCurrency;
  return {
    id: r.id,
    asin: r.asin,
    marketplaceId: r.marketplace_id,
    sku: r.sku,
    title: r.title,
    brand: r.brand,
    category: r.category,
    imageUrl: r.image_url,
    fulfillmentChannel: r.fulfillment_channel,
    currency,
    price: moneyOrNull(r.price, currency),
    cost: r.cost === null ? null : { amount: decimal(r.cost, 4), currency },
    buyBoxPrice: moneyOrNull(r.buy_box_price, currency),
    stock: {
      fba: r.fba_stock,
      fbm: r.fbm_stock,
      inbound: r.inbound_stock,
      reserved: r.reserved_stock,
      total: r.total_stock,
      available: r.available,
    },
    salesRank: r.sales_rank,
    buyBoxStatus: r.buy_box_status,
    isActive: r.is_active,
    listingStatus: r.listing_status,
    minStockAlert: r.min_stock_alert,
    maxStock: r.max_stock,
    targetMargin: num(r.target_margin),
    leadTimeDays: r.lead_time_days,
    safetyStockDays: r.safety_stock_days,
    notes: r.notes,
    tags: r.tags,
    customFields: r.custom_fields,
    metrics: {
      sales30d: money(r.revenue30, currency),
      units30d: r.units30,
      profit30d: money(r.profit30, currency),
      margin: num(r.margin),
      velocity: Number(r.velocity),
      daysOfStock: num(r.days_of_stock),
      stockLevel: r.stock_level,
    },
    lastSyncAt: toIso(r.last_sync_at),
    updatedAt: toIso(r.updated_at),
  };
}

export type ProductView = ReturnType<typeof toProduct>;
