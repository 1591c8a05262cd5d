import { hash32 } from '../lib/rand';
import { eventNet, type FinanceEvent, scanEvents } from './finances';
import { type MarketplaceInfo, marketplaceById } from './marketplaces';
import type { Seller } from './seller';
import { depositMs, periodEndMs, periodOf, periodStartMs } from './settlement-periods';

export interface Settlement {
  settlementId: string;
  groupId: string;
  marketplace: MarketplaceInfo;
  period: number;
  startMs: number;
  endMs: number;
  depositMs: number;
  closed: boolean;
}

const b64url = (s: string) => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export const groupIdFor = (marketplaceId: string, period: number): string =>
  b64url(`sbx:${marketplaceId}:${period}`);

export function parseGroupId(groupId: string): { marketplaceId: string; period: number } | undefined {
  try {
    const m = /^sbx:([A-Z0-9]+):(-?\d+)$/.exec(atob(groupId.replace(/-/g, '+').replace(/_/g, '/')));
    return m ? { marketplaceId: m[1]!, period: Number(m[2]) } : undefined;
  } catch {
    return undefined;
  }
}

export function settlementFor(
  seller: Seller,
  mp: MarketplaceInfo,
  period: number,
  nowMs: number,
): Settlement {
  return {
    settlementId: String(10_000_000_000 + (hash32(seller.id, mp.id, period) % 89_999_999_999)),
    groupId: groupIdFor(mp.id, period),
    marketplace: mp,
    period,
    startMs: periodStartMs(period),
    endMs: periodEndMs(period),
    depositMs: depositMs(period),
    closed: periodEndMs(period) <= nowMs,
  };
}

/** Periods overlapping the seller's history up to now (the last one still open). */
export function settlementsFor(seller: Seller, nowMs: number): Settlement[] {
  const first = periodOf(seller.startDay * 86_400_000);
  const last = periodOf(nowMs);
  const out: Settlement[] = [];
  for (let k = first; k <= last; k++)
    for (const mp of seller.marketplaces) out.push(settlementFor(seller, mp, k, nowMs));
  return out;
}

export function settlementFromGroupId(
  seller: Seller,
  groupId: string,
  nowMs: number,
): Settlement | undefined {
  const parsed = parseGroupId(groupId);
  const mp = parsed && marketplaceById(parsed.marketplaceId);
  if (!parsed || !mp) return undefined;
  return settlementFor(seller, mp, parsed.period, nowMs);
}

export function settlementEvents(seller: Seller, s: Settlement, nowMs: number): FinanceEvent[] {
  return scanEvents(
    seller,
    { fromMs: s.startMs, toMs: s.endMs, nowMs, marketplaceId: s.marketplace.id },
    Number.MAX_SAFE_INTEGER,
  ).events;
}

export const settlementTotalCents = (events: FinanceEvent[]): number =>
  events.reduce((sum, e) => sum + eventNet(e), 0);
