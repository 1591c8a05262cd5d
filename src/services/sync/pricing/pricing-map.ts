import type { ItemOffersPayload, MoneyV0, OfferV0 } from '../../../amazon/sp-types';
import type { competitorOffers, priceHistory } from '../../../db/schema';
import { decimal, toUnits } from '../../../lib/money';
import type { AlertInput } from '../../alerts/raise';

export type BuyBoxStatus = 'winner' | 'lost' | 'suppressed';

/** What a pricing sync sets on the product row. */
export interface ProductPricing {
  asin: string;
  marketplaceId: string;
  status: BuyBoxStatus;
  buyBox: string | null;
  ourPrice: string | null;
  rank: number | null;
  currency: string | null;
}

export interface MappedOffers {
  history: typeof priceHistory.$inferInsert;
  offers: (typeof competitorOffers.$inferInsert)[];
  product: ProductPricing;
}

export interface OfferScope {
  tenantId: string;
  asin: string;
  marketplaceId: string;
  /** Our selling partner id: an offer with it is ours even without MyOffer. */
  sellerId: string | null;
  /** The hourly price-history point. */
  slot: Date;
  /** When the offers were read. */
  now: Date;
}

/** Price with two decimals; Amazon's v0 money has Amount (string) or CurrencyAmount (number). */
export const amount = (m?: MoneyV0): string | null =>
  m?.Amount !== undefined
    ? decimal(m.Amount)
    : m?.CurrencyAmount !== undefined
      ? decimal(m.CurrencyAmount)
      : null;

/** History points are hourly: re-running a sync within the hour rewrites the same point. */
export const captureSlot = (now: Date) => new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);

const lowest = (prices: string[]): string | null =>
  prices.length > 0 ? prices.reduce((a, b) => (toUnits(a) <= toUnits(b) ? a : b)) : null;

function competitorOffer(o: OfferV0, scope: OfferScope, currency: string | null) {
  if (!o.SellerId || !o.ListingPrice) return [];
  const price = amount(o.ListingPrice);
  if (price === null) return [];
  const rating = o.SellerFeedbackRating?.SellerPositiveFeedbackRating;
  return [
    {
      tenantId: scope.tenantId,
      asin: scope.asin,
      marketplaceId: scope.marketplaceId,
      sellerId: o.SellerId,
      price,
      shipping: amount(o.Shipping),
      currency: o.ListingPrice.CurrencyCode ?? currency ?? 'USD',
      isBuyBoxWinner: o.IsBuyBoxWinner ?? false,
      isFba: o.IsFulfilledByAmazon ?? false,
      feedbackRating: rating !== undefined ? String(rating) : null,
      capturedAt: scope.now,
    },
  ];
}

/**
 * One listing's getItemOffers payload as rows: the hourly price-history point, every seller's
 * offer, and the buy box status (ours, another seller's, or nobody's) for the product.
 */
export function mapOffers(payload: ItemOffersPayload, scope: OfferScope): MappedOffers {
  const all = payload.Offers ?? [];
  const winner = all.find((o) => o.IsBuyBoxWinner);
  const mine = all.find((o) => o.MyOffer || (scope.sellerId && o.SellerId === scope.sellerId));
  const buyBox = payload.Summary?.BuyBoxPrices?.[0];
  const currency =
    buyBox?.ListingPrice?.CurrencyCode ??
    mine?.ListingPrice?.CurrencyCode ??
    all[0]?.ListingPrice?.CurrencyCode ??
    null;
  const status: BuyBoxStatus = !winner ? 'suppressed' : winner === mine ? 'winner' : 'lost';
  const buyBoxPrice =
    amount(buyBox?.LandedPrice ?? buyBox?.ListingPrice) ?? (winner ? amount(winner.ListingPrice) : null);
  const lowestPrices = (payload.Summary?.LowestPrices ?? []).flatMap(
    (p) => amount(p.LandedPrice ?? p.ListingPrice) ?? [],
  );
  const rank = payload.Summary?.SalesRankings?.[0]?.Rank ?? null;
  const ourPrice = amount(mine?.ListingPrice);
  const { tenantId, asin, marketplaceId } = scope;
  return {
    history: {
      tenantId,
      asin,
      marketplaceId,
      capturedAt: scope.slot,
      ourPrice,
      buyBoxPrice,
      lowestPrice: lowest(lowestPrices),
      currency,
      buyBoxWinner: status === 'winner',
      offerCount: payload.Summary?.TotalOfferCount ?? all.length,
      salesRank: rank,
    },
    offers: all.flatMap((o) => competitorOffer(o, scope, currency)),
    product: { asin, marketplaceId, status, buyBox: buyBoxPrice, ourPrice, rank, currency },
  };
}

/** A product row after the pricing update, with the status it had before. */
export interface PricedProduct {
  asin: string;
  marketplaceId: string;
  title: string | null;
  status: string;
  previous: string;
  buyBox: string | null;
}

/** BUYBOX_LOST is raised when another seller holds the buy box and resolved when we win it back. */
export function buyBoxAlerts(changed: PricedProduct[]): { raise: AlertInput[]; resolve: string[] } {
  const raise: AlertInput[] = [];
  const resolve: string[] = [];
  for (const c of changed) {
    const dedupeKey = `BUYBOX_LOST:${c.asin}:${c.marketplaceId}`;
    if (c.status === 'winner') resolve.push(dedupeKey);
    if (c.status !== 'lost') continue;
    raise.push({
      type: 'BUYBOX_LOST',
      severity: 'high',
      title: `Buy box lost: ${c.title ?? c.asin}`,
      message: c.buyBox
        ? `Another seller holds the buy box at ${c.buyBox}`
        : 'Another seller holds the buy box',
      asin: c.asin,
      marketplaceId: c.marketplaceId,
      data: { previous: c.previous, buyBoxPrice: c.buyBox },
      dedupeKey,
    });
  }
  return { raise, resolve };
}
