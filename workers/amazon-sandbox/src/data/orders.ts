import { hash32, rng } from '../lib/rand';
import { DAY_MS, dayNumber } from '../lib/time';
import { demandFactor } from './calendar';
import type { MarketplaceInfo } from './marketplaces';
import { localPriceCents, type Product, productsFor } from './products';
import type { Seller } from './seller';

export interface FeeLine {
  type: string;
  cents: number;
}

export interface OrderLine {
  orderItemId: string;
  product: Product;
  quantity: number;
  unitPriceCents: number;
  itemPriceCents: number;
  shippingCents: number;
  itemTaxCents: number;
  shippingTaxCents: number;
  promotionDiscountCents: number;
  promotionId?: string;
  /** Fees Amazon charges when the item ships (negative = charge to the seller). */
  fees: FeeLine[];
}

export interface Refund {
  postedMs: number;
  /** Returned to an FBA warehouse (customer return) rather than a refund without return. */
  returned: boolean;
  reason: string;
  lines: {
    orderItemId: string;
    quantity: number;
    principalCents: number;
    taxCents: number;
    commissionBackCents: number;
    refundCommissionCents: number;
  }[];
}

export interface GenOrder {
  orderId: string;
  sellerId: string;
  marketplace: MarketplaceInfo;
  day: number;
  index: number;
  createdMs: number;
  fulfillment: 'AFN' | 'MFN';
  isPrime: boolean;
  isBusiness: boolean;
  shipServiceLevel: string;
  /** When the order ships (or would have shipped); undefined when cancelled. */
  shippedMs?: number;
  cancelledMs?: number;
  cancelReason?: string;
  refund?: Refund;
  lines: OrderLine[];
}

export type OrderStatus = 'Pending' | 'Unshipped' | 'Shipped' | 'Canceled';

export const TAX_RATES: Record<string, number> = { US: 0.0725, CA: 0.13, MX: 0.16, GB: 0.2 };
/** Latest delay between creation and the last order-level change (ship or cancel). */
export const MAX_UPDATE_LAG_MS = 3 * DAY_MS;
/** Latest delay between creation and a refund. */
export const MAX_REFUND_LAG_MS = 40 * DAY_MS;

export function orderCountForDay(seller: Seller, day: number): number {
  if (day < seller.startDay || day > seller.endDay) return 0;
  const noise = 0.8 + 0.4 * (hash32(seller.seed, 'count', day) / 4294967296);
  return Math.max(0, Math.round(seller.size.ordersPerDay * demandFactor(day) * noise));
}

const dayCache = new Map<string, GenOrder[]>();
const DAY_CACHE_LIMIT = 256;

/**
 * Every order created on `day` (UTC), whatever the current time: the pure source of truth.
 * Built from hash(seller, day) alone so any day of a long history costs the same.
 */
export function ordersForDay(seller: Seller, day: number): GenOrder[] {
  const extras = seller.extraOrders.filter((ms) => dayNumber(ms) === day);
  const key = `${seller.id}:${seller.size.products}:${seller.size.ordersPerDay}:${seller.startDay}:${day}:${extras.join(',')}:${seller.priceVersion}`;
  const hit = dayCache.get(key);
  if (hit) return hit;
  const count = orderCountForDay(seller, day);
  const r = rng(seller.seed, 'times', day);
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(day * DAY_MS + Math.floor(r.next() * DAY_MS));
  times.sort((a, b) => a - b);
  const list = times.map((t, i) => buildOrder(seller, day, i, t));
  for (const [k, t] of extras.entries()) list.push(buildOrder(seller, day, count + k, t));
  list.sort((a, b) => a.createdMs - b.createdMs || a.index - b.index);
  if (dayCache.size >= DAY_CACHE_LIMIT) dayCache.delete(dayCache.keys().next().value!);
  dayCache.set(key, list);
  return list;
}

function orderIdFor(seller: Seller, mpIndex: number, day: number, index: number): string {
  const check = hash32(seller.id, day, index) % 100;
  return `${(1 + mpIndex) * 100 + check}-${String(day).padStart(7, '0')}-${String(index).padStart(7, '0')}`;
}

/** Finds an order from its id without scanning history: the id encodes its day and index. */
export function findOrder(seller: Seller, orderId: string): GenOrder | undefined {
  const m = /^(\d{3})-(\d{7})-(\d{7})$/.exec(orderId);
  if (!m) return undefined;
  return ordersForDay(seller, Number(m[2])).find((o) => o.orderId === orderId);
}

function pickMarketplace(seller: Seller, x: number): { mp: MarketplaceInfo; index: number } {
  let acc = 0;
  for (const [index, mp] of seller.marketplaces.entries()) {
    acc += mp.share;
    if (x < acc) return { mp, index };
  }
  return { mp: seller.marketplaces[0]!, index: 0 };
}

interface WeightedPool {
  products: Product[];
  /** Running share of total weight, for a binary-searched weighted pick. */
  cumulative: number[];
}

interface Pools {
  sellable: WeightedPool;
  byChannel: Record<'AFN' | 'MFN', WeightedPool>;
}

function pool(products: Product[]): WeightedPool {
  const total = products.reduce((s, p) => s + p.weight, 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const p of products) {
    acc += p.weight / total;
    cumulative.push(acc);
  }
  return { products, cumulative };
}

const poolCache = new Map<string, Pools>();

/** Per-catalogue pick tables, built once so each order costs O(log products), not O(products). */
function poolsFor(seller: Seller): Pools {
  const key = `${seller.id}:${seller.size.products}`;
  const hit = poolCache.get(key);
  if (hit) return hit;
  const all = productsFor(seller);
  const sellable = all.filter((p) => !p.suppressed);
  const base = sellable.length > 0 ? sellable : all;
  const pools: Pools = {
    sellable: pool(base),
    byChannel: {
      AFN: pool(base.filter((p) => p.fulfillment === 'AFN')),
      MFN: pool(base.filter((p) => p.fulfillment === 'MFN')),
    },
  };
  poolCache.set(key, pools);
  return pools;
}

function pickProduct(p: WeightedPool, x: number): Product {
  let lo = 0;
  let hi = p.products.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < p.cumulative[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return p.products[lo]!;
}

/** Seller's own price at a moment, honouring price changes made through the control API. */
export function sellerPriceCents(
  seller: Seller,
  product: Product,
  mp: MarketplaceInfo,
  atMs: number,
): number {
  let price = localPriceCents(product.priceCents, mp.fx);
  for (const change of seller.priceChanges) {
    if (change.sku === product.sku && change.marketplaceId === mp.id && change.atMs <= atMs)
      price = change.priceCents;
  }
  return price;
}

function buildOrder(seller: Seller, day: number, index: number, createdMs: number): GenOrder {
  const r = rng(seller.seed, 'order', day, index);
  const { mp, index: mpIndex } = pickMarketplace(seller, r.next());
  const pools = poolsFor(seller);
  const first = pickProduct(pools.sellable, r.next());
  const sameChannel = pools.byChannel[first.fulfillment];
  const lineCount = r.chance(0.8) ? 1 : r.chance(0.75) ? 2 : 3;
  const orderId = orderIdFor(seller, mpIndex, day, index);
  const promo = r.chance(0.1)
    ? {
        id: `PLM-${seller.id.slice(-4)}-${(hash32(day, index) % 9000) + 1000}`,
        pct: r.pick([0.1, 0.15, 0.2]),
      }
    : undefined;
  const taxRate = TAX_RATES[mp.countryCode] ?? 0;
  const fbaFx = mp.fx;
  const lines: OrderLine[] = [];
  const used = new Set<string>();
  for (let l = 0; l < lineCount; l++) {
    const product = l === 0 ? first : pickProduct(sameChannel, r.next());
    if (used.has(product.sku)) continue;
    used.add(product.sku);
    const quantity = r.chance(0.85) ? 1 : r.chance(0.8) ? 2 : 3;
    const unitPriceCents = sellerPriceCents(seller, product, mp, createdMs);
    const itemPriceCents = unitPriceCents * quantity;
    const shippingCents = product.fulfillment === 'MFN' ? Math.round(499 * fbaFx) : 0;
    const promotionDiscountCents = promo ? Math.round(itemPriceCents * promo.pct) : 0;
    const taxable = itemPriceCents - promotionDiscountCents;
    const commission = Math.max(30, Math.round((taxable + shippingCents) * product.referralRate));
    const fees: FeeLine[] = [{ type: 'Commission', cents: -commission }];
    if (product.fulfillment === 'AFN') {
      fees.push({
        type: 'FBAPerUnitFulfillmentFee',
        cents: -Math.round(product.fbaFeeCents * fbaFx) * quantity,
      });
    }
    lines.push({
      orderItemId: String((hash32(orderId, 'item', l) % 90_000_000_000) + 10_000_000_000).padStart(14, '0'),
      product,
      quantity,
      unitPriceCents,
      itemPriceCents,
      shippingCents,
      itemTaxCents: Math.round(taxable * taxRate),
      shippingTaxCents: Math.round(shippingCents * taxRate),
      promotionDiscountCents,
      ...(promo ? { promotionId: promo.id } : {}),
      fees,
    });
  }
  const fulfillment = first.fulfillment;
  const order: GenOrder = {
    orderId,
    sellerId: seller.id,
    marketplace: mp,
    day,
    index,
    createdMs,
    fulfillment,
    isPrime: fulfillment === 'AFN',
    isBusiness: r.chance(0.04),
    shipServiceLevel: fulfillment === 'AFN' ? 'Expedited' : 'Std US D2D Dom',
    lines,
  };
  if (r.chance(0.03)) {
    order.cancelledMs = createdMs + r.int(20, 600) * 60_000;
    order.cancelReason = r.pick(['BuyerCanceled', 'NoInventory', 'ShippingAddressUndeliverable']);
    return order;
  }
  order.shippedMs = createdMs + (fulfillment === 'AFN' ? r.int(4, 30) : r.int(12, 60)) * 3_600_000;
  if (r.chance(0.05)) {
    const returned = fulfillment === 'AFN' && r.chance(0.7);
    order.refund = {
      postedMs: order.shippedMs + r.int(3, 30) * DAY_MS + r.int(0, 86_000) * 1000,
      returned,
      reason: r.pick(['CUSTOMER_CHANGED_MIND', 'DEFECTIVE', 'NOT_AS_DESCRIBED', 'ORDERED_WRONG_ITEM']),
      lines: lines.map((line) => {
        const principal = line.itemPriceCents - line.promotionDiscountCents;
        const commission = -(line.fees.find((f) => f.type === 'Commission')?.cents ?? 0);
        return {
          orderItemId: line.orderItemId,
          quantity: line.quantity,
          principalCents: principal,
          taxCents: line.itemTaxCents,
          commissionBackCents: commission,
          // Amazon keeps 20% of the referral fee, at most 5.00 per unit, as RefundCommission.
          refundCommissionCents: Math.min(Math.round(commission * 0.2), 500 * line.quantity),
        };
      }),
    };
  }
  return order;
}

/** How an order looks at `nowMs`: Amazon's status moves from Pending to Shipped or Canceled. */
export function statusAt(order: GenOrder, nowMs: number): OrderStatus {
  if (order.cancelledMs !== undefined) return nowMs >= order.cancelledMs ? 'Canceled' : 'Pending';
  if (order.shippedMs !== undefined && nowMs >= order.shippedMs) return 'Shipped';
  return nowMs - order.createdMs < 30 * 60_000 ? 'Pending' : 'Unshipped';
}

export function lastUpdatedAt(order: GenOrder, nowMs: number): number {
  const changes = [order.createdMs, order.createdMs + 30 * 60_000, order.shippedMs, order.cancelledMs];
  let last = order.createdMs;
  for (const c of changes) if (c !== undefined && c <= nowMs && c > last) last = c;
  return last;
}

export const orderTotalCents = (o: GenOrder): number =>
  o.lines.reduce(
    (s, l) =>
      s + l.itemPriceCents + l.shippingCents + l.itemTaxCents + l.shippingTaxCents - l.promotionDiscountCents,
    0,
  );

export const visibleAt = (o: GenOrder, nowMs: number): boolean => o.createdMs <= nowMs;
