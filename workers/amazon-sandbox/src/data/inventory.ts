import { hash32, rng } from '../lib/rand';
import type { MarketplaceInfo } from './marketplaces';
import type { Product } from './products';
import type { Seller } from './seller';

export interface InventoryLevels {
  fulfillable: number;
  inboundWorking: number;
  inboundShipped: number;
  inboundReceiving: number;
  reservedPendingOrders: number;
  reservedTransshipment: number;
  reservedFcProcessing: number;
  researching: number;
  unfulfillableCustomerDamaged: number;
  unfulfillableWarehouseDamaged: number;
  unfulfillableDefective: number;
  lastUpdatedMs: number;
}

/** Inventory moves every 6 hours; within a slot it is stable so repeated reads agree. */
export const INVENTORY_SLOT_MS = 6 * 3_600_000;

export const inventorySlot = (ms: number): number => Math.floor(ms / INVENTORY_SLOT_MS);

export function inventoryAt(
  seller: Seller,
  product: Product,
  mp: MarketplaceInfo,
  nowMs: number,
): InventoryLevels {
  const slot = inventorySlot(nowMs);
  const base = rng(seller.seed, 'inv', product.sku, mp.id);
  const r = rng(seller.seed, 'inv', product.sku, mp.id, slot);
  const capacity = Math.round(base.int(20, 400) * mp.share * 4 + 5);
  // A sawtooth: stock sells down over a 20-day cycle and is replenished by inbound shipments.
  const cycle = 80;
  const phase = (slot + (hash32(product.sku, mp.id) % cycle)) % cycle;
  const outOfStock = base.chance(0.1) && phase > cycle - 12;
  const fulfillable = outOfStock ? 0 : Math.max(0, Math.round(capacity * (1 - phase / cycle)) + r.int(-2, 2));
  const inbound = phase > cycle / 2 ? Math.round(capacity * 0.6) : 0;
  return {
    fulfillable,
    inboundWorking: phase > cycle * 0.5 && phase <= cycle * 0.65 ? inbound : 0,
    inboundShipped: phase > cycle * 0.65 && phase <= cycle * 0.85 ? inbound : 0,
    inboundReceiving: phase > cycle * 0.85 ? Math.round(inbound / 2) : 0,
    reservedPendingOrders: fulfillable > 0 ? r.int(0, 4) : 0,
    reservedTransshipment: r.int(0, 3),
    reservedFcProcessing: r.int(0, 2),
    researching: r.chance(0.1) ? 1 : 0,
    unfulfillableCustomerDamaged: base.int(0, 2),
    unfulfillableWarehouseDamaged: base.chance(0.3) ? 1 : 0,
    unfulfillableDefective: base.chance(0.2) ? 1 : 0,
    lastUpdatedMs: slot * INVENTORY_SLOT_MS,
  };
}

export const reservedTotal = (l: InventoryLevels): number =>
  l.reservedPendingOrders + l.reservedTransshipment + l.reservedFcProcessing;
export const unfulfillableTotal = (l: InventoryLevels): number =>
  l.unfulfillableCustomerDamaged + l.unfulfillableWarehouseDamaged + l.unfulfillableDefective;
export const totalQuantity = (l: InventoryLevels): number =>
  l.fulfillable +
  reservedTotal(l) +
  unfulfillableTotal(l) +
  l.researching +
  l.inboundWorking +
  l.inboundShipped +
  l.inboundReceiving;

/** MFN listings keep a merchant quantity instead of FBA stock. */
export function mfnQuantity(seller: Seller, product: Product, mp: MarketplaceInfo, nowMs: number): number {
  return rng(seller.seed, 'mfn', product.sku, mp.id, inventorySlot(nowMs)).int(0, 80);
}
