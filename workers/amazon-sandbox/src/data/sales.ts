import { ordersForDay } from './orders';
import type { Seller } from './seller';

export interface SkuSales {
  units: number;
  cents: number;
  orders: number;
}

const cache = new Map<string, Map<string, SkuSales>>();

/** Ordered product sales per `${marketplaceId}:${sku}` for orders created on `day` (cancelled excluded). */
export function salesBySku(seller: Seller, day: number): Map<string, SkuSales> {
  const key = `${seller.id}:${seller.size.products}:${seller.size.ordersPerDay}:${seller.startDay}:${seller.priceVersion}:${day}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const out = new Map<string, SkuSales>();
  for (const o of ordersForDay(seller, day)) {
    if (o.cancelledMs !== undefined) continue;
    for (const l of o.lines) {
      const k = `${o.marketplace.id}:${l.product.sku}`;
      const s = out.get(k) ?? { units: 0, cents: 0, orders: 0 };
      s.units += l.quantity;
      s.cents += l.itemPriceCents - l.promotionDiscountCents;
      s.orders += 1;
      out.set(k, s);
    }
  }
  if (cache.size > 512) cache.delete(cache.keys().next().value!);
  cache.set(key, out);
  return out;
}
