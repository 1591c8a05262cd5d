import { hash32 } from '../lib/rand';
import { dayNumber } from '../lib/time';
import { MARKETPLACES, type MarketplaceInfo } from './marketplaces';

export interface SellerSize {
  products: number;
  days: number;
  ordersPerDay: number;
}

export interface Seller {
  id: string;
  storeName: string;
  size: SellerSize;
  marketplaces: readonly MarketplaceInfo[];
  seed: number;
  /** History covers days [startDay, endDay] (days since epoch, UTC); endDay is today. */
  startDay: number;
  endDay: number;
  /** Creation times of orders added through the control API. */
  extraOrders: number[];
  priceChanges: PriceChange[];
  /** Changes whenever priceChanges does, so cached days are rebuilt. */
  priceVersion: number;
}

export interface PriceChange {
  sku: string;
  marketplaceId: string;
  priceCents: number;
  atMs: number;
}

export interface SellerOptions {
  size?: Partial<SellerSize>;
  nowMs?: number;
  extraOrders?: number[];
  priceChanges?: PriceChange[];
}

export const SIZE_PRESETS: Record<string, SellerSize> = {
  tiny: { products: 5, days: 30, ordersPerDay: 3 },
  small: { products: 20, days: 90, ordersPerDay: 10 },
  demo: { products: 40, days: 365, ordersPerDay: 25 },
  large: { products: 200, days: 730, ordersPerDay: 150 },
  huge: { products: 500, days: 1095, ordersPerDay: 400 },
};

/** Seller ids that start with `ASBX<PRESET>` (e.g. ASBXLARGE01) get that preset; others get `demo`. */
export function presetForSellerId(id: string): SellerSize {
  const m = /^ASBX(TINY|SMALL|DEMO|LARGE|HUGE)/i.exec(id);
  const key = m ? m[1]!.toLowerCase() : 'demo';
  return SIZE_PRESETS[key]!;
}

export function makeSeller(id: string, options: SellerOptions = {}): Seller {
  const size = { ...presetForSellerId(id), ...options.size };
  const endDay = dayNumber(options.nowMs ?? Date.now());
  const priceChanges = options.priceChanges ?? [];
  return {
    id,
    storeName: `Sandbox Store ${id.slice(-4)}`,
    size,
    marketplaces: MARKETPLACES,
    seed: hash32('seller', id),
    startDay: endDay - size.days + 1,
    endDay,
    extraOrders: options.extraOrders ?? [],
    priceChanges,
    priceVersion: priceChanges.length,
  };
}

export const isValidSellerId = (id: string): boolean => /^A[A-Z0-9]{5,20}$/.test(id);
