import { hash32 } from '../lib/rand';
import { DAY_MS, dayNumber } from '../lib/time';
import { adsSpendCents } from './ads';
import type { MarketplaceInfo } from './marketplaces';
import { type GenOrder, MAX_REFUND_LAG_MS, type OrderLine, ordersForDay } from './orders';
import { localPriceCents, type Product, productsFor } from './products';
import type { Seller } from './seller';

export interface Amount {
  type: string;
  cents: number;
}

export interface EventItem {
  sku: string;
  orderItemId: string;
  adjustmentId?: string;
  quantity: number;
  charges: Amount[];
  fees: Amount[];
  promotions: { id: string; cents: number }[];
  taxWithheld: Amount[];
}

export interface FinanceEvent {
  id: string;
  kind: 'Shipment' | 'Refund' | 'ServiceFee' | 'ProductAdsPayment';
  postedMs: number;
  marketplace: MarketplaceInfo;
  order?: GenOrder;
  items: EventItem[];
  /** Account-level fees (storage, advertising) that belong to no order item. */
  fees: Amount[];
}

const sum = (list: Amount[]) => list.reduce((s, a) => s + a.cents, 0);

export const eventItemNet = (i: EventItem): number =>
  sum(i.charges) + sum(i.fees) + i.promotions.reduce((s, p) => s + p.cents, 0) + sum(i.taxWithheld);
export const eventNet = (e: FinanceEvent): number =>
  e.items.reduce((s, i) => s + eventItemNet(i), 0) + sum(e.fees);

/** US marketplace-facilitator states: Amazon collects and remits the tax, so it is withheld again. */
const withholds = (mp: MarketplaceInfo) => mp.countryCode === 'US';

/** Amazon's per-unit closing fee on media items in the US ($1.80), scaled like the FBA fee. */
const CLOSING_FEE_CENTS = 180;

const mediaSkus = new Map<string, string>();

/**
 * Amazon charges a VariableClosingFee per unit shipped on media items (books, music, video,
 * software), on top of the Commission. The catalogue has no media category, so each seller's
 * best-selling listing stands in for a media title: its shipments carry the closing fee.
 */
export function mediaSkuOf(seller: Seller): string | undefined {
  const key = `${seller.id}:${seller.size.products}`;
  if (!mediaSkus.has(key)) {
    const sellable = productsFor(seller).filter((p) => !p.suppressed);
    const best = sellable.reduce<Product | undefined>(
      (top, p) => (!top || p.weight > top.weight ? p : top),
      undefined,
    );
    if (best) mediaSkus.set(key, best.sku);
  }
  return mediaSkus.get(key);
}

function closingFees(o: GenOrder, line: OrderLine, mediaSku: string | undefined): Amount[] {
  if (line.product.sku !== mediaSku) return [];
  return [
    { type: 'VariableClosingFee', cents: -Math.round(CLOSING_FEE_CENTS * o.marketplace.fx) * line.quantity },
  ];
}

export function shipmentEvent(o: GenOrder, mediaSku: string | undefined): FinanceEvent | undefined {
  if (o.shippedMs === undefined) return undefined;
  return {
    id: `${o.orderId}:S`,
    kind: 'Shipment',
    postedMs: o.shippedMs,
    marketplace: o.marketplace,
    order: o,
    fees: [],
    items: o.lines.map((l) => ({
      sku: l.product.sku,
      orderItemId: l.orderItemId,
      quantity: l.quantity,
      charges: [
        { type: 'Principal', cents: l.itemPriceCents },
        { type: 'Tax', cents: l.itemTaxCents },
        ...(l.shippingCents > 0
          ? [
              { type: 'ShippingCharge', cents: l.shippingCents },
              { type: 'ShippingTax', cents: l.shippingTaxCents },
            ]
          : []),
      ],
      fees: [...l.fees, ...closingFees(o, l, mediaSku)],
      promotions: l.promotionId ? [{ id: l.promotionId, cents: -l.promotionDiscountCents }] : [],
      taxWithheld: withholds(o.marketplace)
        ? [
            { type: 'MarketplaceFacilitatorTax-Principal', cents: -l.itemTaxCents },
            ...(l.shippingTaxCents > 0
              ? [{ type: 'MarketplaceFacilitatorTax-Shipping', cents: -l.shippingTaxCents }]
              : []),
          ]
        : [],
    })),
  };
}

export function refundEvent(o: GenOrder): FinanceEvent | undefined {
  const refund = o.refund;
  if (!refund) return undefined;
  return {
    id: `${o.orderId}:R`,
    kind: 'Refund',
    postedMs: refund.postedMs,
    marketplace: o.marketplace,
    order: o,
    fees: [],
    items: refund.lines.map((rl) => {
      const line = o.lines.find((l) => l.orderItemId === rl.orderItemId)!;
      return {
        sku: line.product.sku,
        orderItemId: rl.orderItemId,
        adjustmentId: String((hash32(o.orderId, rl.orderItemId, 'adj') % 90_000_000_000) + 10_000_000_000),
        quantity: rl.quantity,
        charges: [
          { type: 'Principal', cents: -line.itemPriceCents },
          { type: 'Tax', cents: -rl.taxCents },
        ],
        fees: [
          { type: 'Commission', cents: rl.commissionBackCents },
          { type: 'RefundCommission', cents: -rl.refundCommissionCents },
        ],
        promotions: line.promotionId ? [{ id: line.promotionId, cents: line.promotionDiscountCents }] : [],
        taxWithheld: withholds(o.marketplace)
          ? [{ type: 'MarketplaceFacilitatorTax-Principal', cents: rl.taxCents }]
          : [],
      };
    }),
  };
}

/** Monthly FBA storage fee, charged on the 7th for the previous month's cubic feet. */
function storageFeeEvents(seller: Seller, day: number): FinanceEvent[] {
  const d = new Date(day * DAY_MS);
  if (d.getUTCDate() !== 7) return [];
  const afn = productsFor(seller).filter((p) => p.fulfillment === 'AFN');
  if (afn.length === 0) return [];
  return seller.marketplaces.map((mp) => {
    const cents = afn.reduce(
      (s, p) => s + Math.round(((hash32(seller.id, p.sku, mp.id, day) % 60) + 10) * mp.share * mp.fx),
      0,
    );
    return {
      id: `${mp.id}:${day}:STORAGE`,
      kind: 'ServiceFee' as const,
      postedMs: day * DAY_MS + 12 * 3_600_000,
      marketplace: mp,
      items: [],
      fees: [{ type: 'FBAStorageFee', cents: -cents }],
    };
  });
}

/** Sponsored Products spend is invoiced weekly (Mondays) per marketplace. */
function adsPaymentEvents(seller: Seller, day: number): FinanceEvent[] {
  if (new Date(day * DAY_MS).getUTCDay() !== 1) return [];
  return seller.marketplaces.flatMap((mp) => {
    let cents = 0;
    for (let d = day - 7; d < day; d++) cents += adsSpendCents(seller, mp, d);
    if (cents === 0) return [];
    return [
      {
        id: `${mp.id}:${day}:ADS`,
        kind: 'ProductAdsPayment' as const,
        postedMs: day * DAY_MS + 8 * 3_600_000,
        marketplace: mp,
        items: [],
        fees: [{ type: 'CostOfAdvertising', cents: -cents }],
      },
    ];
  });
}

/** Every finance event tied to orders created on `day` plus account events posted that day. */
export function eventsFromDay(seller: Seller, day: number): FinanceEvent[] {
  const out: FinanceEvent[] = [];
  const mediaSku = mediaSkuOf(seller);
  for (const o of ordersForDay(seller, day)) {
    const s = shipmentEvent(o, mediaSku);
    if (s) out.push(s);
    const r = refundEvent(o);
    if (r) out.push(r);
  }
  if (day >= seller.startDay && day <= seller.endDay)
    out.push(...storageFeeEvents(seller, day), ...adsPaymentEvents(seller, day));
  return out;
}

export interface EventCursor {
  day: number;
  index: number;
}

/** Events posted in [fromMs, toMs) at or before nowMs, walking creation days so paging stays cheap. */
export function scanEvents(
  seller: Seller,
  range: { fromMs: number; toMs: number; nowMs: number; marketplaceId?: string },
  limit: number,
  cursor?: EventCursor,
): { events: FinanceEvent[]; next?: EventCursor } {
  const first = Math.max(seller.startDay, dayNumber(range.fromMs - MAX_REFUND_LAG_MS));
  const last = Math.min(seller.endDay, dayNumber(Math.min(range.toMs, range.nowMs)));
  const out: FinanceEvent[] = [];
  for (let day = Math.max(first, cursor?.day ?? first); day <= last; day++) {
    const events = eventsFromDay(seller, day);
    for (let i = cursor && day === cursor.day ? cursor.index : 0; i < events.length; i++) {
      const e = events[i]!;
      if (e.postedMs < range.fromMs || e.postedMs >= range.toMs || e.postedMs > range.nowMs) continue;
      if (range.marketplaceId && e.marketplace.id !== range.marketplaceId) continue;
      if (out.length === limit) return { events: out, next: { day, index: i } };
      out.push(e);
    }
  }
  return { events: out };
}

export const fmtCurrency = (cents: number, currency: string) => ({
  CurrencyCode: currency,
  CurrencyAmount: Math.round(cents) / 100,
});

export { localPriceCents };
