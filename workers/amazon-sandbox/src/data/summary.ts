import { isoDate } from '../lib/time';
import { type GenOrder, ordersForDay, orderTotalCents, statusAt } from './orders';
import { productsFor } from './products';
import type { Seller } from './seller';

export interface MarketplaceTotals {
  orders: number;
  units: number;
  /** Ordered product sales (item price minus promotions), minor units, excluding cancelled orders. */
  salesCents: number;
  orderTotalCents: number;
  cancelled: number;
  refunded: number;
  refundedCents: number;
  currency: string;
}

/** Ground truth for a day range, computed from the same pure generator the API serves. */
export function summarize(seller: Seller, fromDay: number, toDay: number, nowMs: number) {
  const byMarketplace: Record<string, MarketplaceTotals> = {};
  const byStatus: Record<string, number> = {};
  const byFulfillment: Record<string, number> = { AFN: 0, MFN: 0 };
  let orders = 0;
  for (let day = Math.max(fromDay, seller.startDay); day <= Math.min(toDay, seller.endDay); day++) {
    for (const o of ordersForDay(seller, day)) {
      if (o.createdMs > nowMs) continue;
      orders += 1;
      add(byMarketplace, o, nowMs);
      const status = statusAt(o, nowMs);
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      byFulfillment[o.fulfillment] = (byFulfillment[o.fulfillment] ?? 0) + 1;
    }
  }
  return {
    sellerId: seller.id,
    size: seller.size,
    history: {
      from: isoDate(Math.max(fromDay, seller.startDay)),
      to: isoDate(Math.min(toDay, seller.endDay)),
    },
    products: productsFor(seller).length,
    suppressedProducts: productsFor(seller).filter((p) => p.suppressed).length,
    orders,
    byMarketplace,
    byStatus,
    byFulfillment,
  };
}

function add(acc: Record<string, MarketplaceTotals>, o: GenOrder, nowMs: number): void {
  acc[o.marketplace.id] ??= {
    orders: 0,
    units: 0,
    salesCents: 0,
    orderTotalCents: 0,
    cancelled: 0,
    refunded: 0,
    refundedCents: 0,
    currency: o.marketplace.currency,
  };
  const t = acc[o.marketplace.id]!;
  t.orders += 1;
  if (statusAt(o, nowMs) === 'Canceled') {
    t.cancelled += 1;
    return;
  }
  for (const l of o.lines) {
    t.units += l.quantity;
    t.salesCents += l.itemPriceCents - l.promotionDiscountCents;
  }
  t.orderTotalCents += orderTotalCents(o);
  if (o.refund && o.refund.postedMs <= nowMs) {
    t.refunded += 1;
    t.refundedCents += o.refund.lines.reduce((s, l) => s + l.principalCents, 0);
  }
}
