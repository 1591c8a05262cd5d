import { DAY_MS, dayNumber } from '../lib/time';
import {
  type GenOrder,
  lastUpdatedAt,
  MAX_UPDATE_LAG_MS,
  type OrderStatus,
  ordersForDay,
  statusAt,
} from './orders';
import type { Seller } from './seller';

export interface OrderQuery {
  by: 'created' | 'lastUpdated';
  fromMs: number;
  toMs: number;
  marketplaceIds: string[];
  statuses?: OrderStatus[];
  fulfillment?: ('AFN' | 'MFN')[];
  /** Clock for statuses and visibility, fixed at the first page so later pages agree. */
  nowMs: number;
}

export interface Cursor {
  day: number;
  index: number;
}

/**
 * Walks history day by day from the cursor; each day's orders come from the pure generator,
 * so a page deep into a 100,000-order history costs the same as the first.
 */
export function scanOrders(
  seller: Seller,
  q: OrderQuery,
  limit: number,
  cursor?: Cursor,
): { orders: GenOrder[]; next?: Cursor } {
  const lag = q.by === 'lastUpdated' ? MAX_UPDATE_LAG_MS : 0;
  const firstDay = Math.max(seller.startDay, dayNumber(q.fromMs - lag));
  const lastDay = Math.min(seller.endDay, dayNumber(Math.min(q.toMs, q.nowMs)));
  const out: GenOrder[] = [];
  for (let day = Math.max(firstDay, cursor?.day ?? firstDay); day <= lastDay; day++) {
    const orders = ordersForDay(seller, day);
    const startIndex = cursor && day === cursor.day ? cursor.index : 0;
    for (let i = startIndex; i < orders.length; i++) {
      const o = orders[i]!;
      if (!matches(o, q)) continue;
      if (out.length === limit) return { orders: out, next: { day, index: i } };
      out.push(o);
    }
  }
  return { orders: out };
}

function matches(o: GenOrder, q: OrderQuery): boolean {
  if (o.createdMs > q.nowMs) return false;
  if (q.marketplaceIds.length > 0 && !q.marketplaceIds.includes(o.marketplace.id)) return false;
  const t = q.by === 'created' ? o.createdMs : lastUpdatedAt(o, q.nowMs);
  if (t < q.fromMs || t >= q.toMs) return false;
  if (q.statuses && q.statuses.length > 0 && !q.statuses.includes(statusAt(o, q.nowMs))) return false;
  if (q.fulfillment && q.fulfillment.length > 0 && !q.fulfillment.includes(o.fulfillment)) return false;
  return true;
}

export const encodeToken = (value: unknown): string => btoa(JSON.stringify(value)).replace(/=+$/, '');
export function decodeToken<T>(token: string): T | undefined {
  try {
    return JSON.parse(atob(token)) as T;
  } catch {
    return undefined;
  }
}

export const DAY = DAY_MS;
