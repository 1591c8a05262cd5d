import type { ReportFormat } from '../../../amazon/reports';
import type { InventorySummary } from '../../../amazon/sp-types';
import type { inventoryHistory, NewProduct } from '../../../db/schema';
import { decimal } from '../../../lib/money';
import type { AlertInput } from '../../alerts/raise';

/** One listing's stock in one marketplace, merged from the listings report and FBA summaries. */
export interface StockRow {
  asin: string;
  marketplaceId: string;
  sku: string | null;
  title?: string | null;
  price?: string | null;
  currency?: string | null;
  channel?: 'FBA' | 'FBM';
  listingStatus?: string | null;
  fulfillable: number;
  fbm: number;
  inbound: number;
  reserved: number;
  unfulfillable: number;
  total: number;
}

export const stockKey = (asin: string, marketplaceId: string) => `${asin}\u0000${marketplaceId}`;

export function emptyStock(asin: string, marketplaceId: string, sku: string | null): StockRow {
  return {
    asin,
    marketplaceId,
    sku,
    fulfillable: 0,
    fbm: 0,
    inbound: 0,
    reserved: 0,
    unfulfillable: 0,
    total: 0,
  };
}

/** The merchant listings report, and the columns a listing cannot be read without. */
export const LISTINGS_REPORT: ReportFormat = {
  name: 'GET_MERCHANT_LISTINGS_ALL_DATA',
  columns: ['seller-sku', 'quantity', 'fulfillment-channel'],
};

/** The ASIN of a listings report row (asin1; product-id for older listings). */
export const listingAsin = (row: Record<string, string>): string | undefined =>
  row.asin1 || row['product-id'] || undefined;

/**
 * A row of GET_MERCHANT_LISTINGS_ALL_DATA: every listing's SKU, title, price and status, and the
 * quantity of merchant-fulfilled (channel DEFAULT) listings. Null for a row without an ASIN.
 */
export function stockFromListing(
  row: Record<string, string>,
  marketplaceId: string,
  currency: string | null,
  known?: StockRow,
): StockRow | null {
  const asin = listingAsin(row);
  if (!asin) return null;
  const fbm = row['fulfillment-channel'] === 'DEFAULT';
  const qty = Number.parseInt(row.quantity ?? '', 10);
  const base = known ?? emptyStock(asin, marketplaceId, null);
  const counted = fbm && Number.isFinite(qty);
  return {
    ...base,
    sku: row['seller-sku'] || base.sku,
    title: row['item-name'] || null,
    price: row.price ? decimal(row.price) : null,
    currency,
    channel: fbm ? 'FBM' : 'FBA',
    listingStatus: row.status || null,
    fbm: counted ? qty : base.fbm,
    total: counted ? base.total + qty : base.total,
  };
}

/** An FBA inventory summary: fulfillable, inbound, reserved and unfulfillable units. */
export function stockFromSummary(
  s: InventorySummary,
  marketplaceId: string,
  known?: StockRow,
): StockRow | null {
  if (!s.asin) return null;
  const d = s.inventoryDetails ?? {};
  const base = known ?? emptyStock(s.asin, marketplaceId, s.sellerSku ?? null);
  const fulfillable = d.fulfillableQuantity ?? 0;
  const inbound =
    (d.inboundWorkingQuantity ?? 0) + (d.inboundShippedQuantity ?? 0) + (d.inboundReceivingQuantity ?? 0);
  const reserved = d.reservedQuantity?.totalReservedQuantity ?? 0;
  const unfulfillable = d.unfulfillableQuantity?.totalUnfulfillableQuantity ?? 0;
  return {
    ...base,
    sku: base.sku ?? s.sellerSku ?? null,
    title: base.title ?? s.productName ?? null,
    channel: 'FBA',
    fulfillable,
    inbound,
    reserved,
    unfulfillable,
    total: (s.totalQuantity ?? fulfillable + inbound + reserved + unfulfillable) + base.fbm,
  };
}

/** The product row; sellable stock is FBA fulfillable plus FBM. */
export function productFromStock(r: StockRow, tenantId: string, now: Date): NewProduct {
  return {
    tenantId,
    asin: r.asin,
    marketplaceId: r.marketplaceId,
    sku: r.sku,
    title: r.title ?? null,
    price: r.price ?? null,
    currency: r.currency ?? null,
    fulfillmentChannel: r.channel ?? null,
    listingStatus: r.listingStatus ?? null,
    isActive: r.listingStatus ? r.listingStatus === 'Active' : true,
    fbaStock: r.fulfillable,
    fbmStock: r.fbm,
    inboundStock: r.inbound,
    reservedStock: r.reserved,
    totalStock: r.fulfillable + r.fbm,
    lastSyncAt: now,
  };
}

/** The daily snapshot row for a tenant-local day. */
export function snapshotFromStock(
  r: StockRow,
  tenantId: string,
  day: string,
): typeof inventoryHistory.$inferInsert {
  return {
    tenantId,
    asin: r.asin,
    marketplaceId: r.marketplaceId,
    sku: r.sku,
    date: day,
    fulfillable: r.fulfillable + r.fbm,
    inbound: r.inbound,
    reserved: r.reserved,
    unfulfillable: r.unfulfillable,
    total: r.total,
  };
}

export interface StockLevel {
  asin: string;
  marketplaceId: string;
  title: string | null;
  totalStock: number;
  minStockAlert: number;
}

/**
 * Low-stock rule: below the user's min_stock_alert raises STOCK_LOW (STOCK_OUT at zero); at or above
 * it resolves the product's open alert. Returns the alerts to raise and the dedupe keys to resolve.
 */
export function stockAlerts(levels: StockLevel[]): { raise: AlertInput[]; resolve: string[] } {
  const raise: AlertInput[] = [];
  const resolve: string[] = [];
  for (const r of levels) {
    const dedupeKey = `STOCK_LOW:${r.asin}:${r.marketplaceId}`;
    if (r.totalStock >= r.minStockAlert) {
      resolve.push(dedupeKey);
      continue;
    }
    const out = r.totalStock === 0;
    raise.push({
      type: out ? 'STOCK_OUT' : 'STOCK_LOW',
      severity: out ? 'critical' : 'high',
      title: `${out ? 'Out of stock' : 'Low stock'}: ${r.title ?? r.asin}`,
      message: `Only ${r.totalStock} units remaining (alert below ${r.minStockAlert})`,
      asin: r.asin,
      marketplaceId: r.marketplaceId,
      data: { totalStock: r.totalStock, minStockAlert: r.minStockAlert },
      dedupeKey,
    });
  }
  return { raise, resolve };
}
