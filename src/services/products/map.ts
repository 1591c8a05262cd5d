import { toIso } from '../../lib/dates';
import { decimal, type Money, money } from '../../lib/money';

export type ProductRow = Record<string, unknown> & {
  id: string;
  asin: string;
  currency: string | null;
};

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const moneyOrNull = (v: unknown, currency: string): Money | null =>
  v === null || v === undefined ? null : money(v as string, currency);

/** A product with its 30-day metrics, in the shape every products endpoint returns. */
export function toProduct(r: ProductRow, fallbackCurrency: string) {
  const currency = r.currency ?? fallbackCurrency;
  return {
    id: r.id,
    asin: r.asin,
    marketplaceId: r.marketplace_id as string,
    sku: r.sku as string | null,
    title: r.title as string | null,
    brand: r.brand as string | null,
    category: r.category as string | null,
    imageUrl: r.image_url as string | null,
    fulfillmentChannel: r.fulfillment_channel as string | null,
    currency,
    price: moneyOrNull(r.price, currency),
    cost: r.cost === null ? null : { amount: decimal(r.cost as string, 4), currency },
    buyBoxPrice: moneyOrNull(r.buy_box_price, currency),
    stock: {
      fba: r.fba_stock as number,
      fbm: r.fbm_stock as number,
      inbound: r.inbound_stock as number,
      reserved: r.reserved_stock as number,
      total: r.total_stock as number,
      available: Number(r.available),
    },
    salesRank: r.sales_rank as number | null,
    buyBoxStatus: r.buy_box_status as string,
    isActive: r.is_active as boolean,
    listingStatus: r.listing_status as string | null,
    minStockAlert: r.min_stock_alert as number | null,
    maxStock: r.max_stock as number | null,
    targetMargin: num(r.target_margin),
    leadTimeDays: r.lead_time_days as number,
    safetyStockDays: r.safety_stock_days as number,
    notes: r.notes as string | null,
    tags: (r.tags as string[] | null) ?? [],
    customFields: (r.custom_fields as Record<string, unknown> | null) ?? {},
    metrics: {
      sales30d: money(r.revenue30 as string, currency),
      units30d: Number(r.units30 ?? 0),
      profit30d: money(r.profit30 as string, currency),
      margin: num(r.margin),
      velocity: num(r.velocity) ?? 0,
      daysOfStock: num(r.days_of_stock),
      stockLevel: r.stock_level as string,
    },
    lastSyncAt: toIso(r.last_sync_at),
    updatedAt: toIso(r.updated_at),
  };
}

export type ProductView = ReturnType<typeof toProduct>;
