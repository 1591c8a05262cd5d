import { hash32, rng } from '../lib/rand';
import type { MarketplaceInfo } from './marketplaces';
import { sellerPriceCents } from './orders';
import { localPriceCents, productByAsin } from './products';
import type { Seller } from './seller';

export interface MarketOffer {
  sellerId: string;
  mine: boolean;
  priceCents: number;
  shippingCents: number;
  fba: boolean;
  feedbackCount: number;
  feedbackPositive: number;
  buyBoxWinner: boolean;
  featuredMerchant: boolean;
}

export interface OfferSnapshot {
  asin: string;
  marketplace: MarketplaceInfo;
  slot: number;
  offers: MarketOffer[];
  listPriceCents: number;
  salesRank: number;
  category: string;
}

/** Competition shifts every 4 hours; ANY_OFFER_CHANGED fires when a slot's offers differ. */
export const OFFER_SLOT_MS = 4 * 3_600_000;
export const offerSlot = (ms: number): number => Math.floor(ms / OFFER_SLOT_MS);

export const isAsin = (v: string): boolean => /^[A-Z0-9]{10}$/.test(v);

/**
 * The offer listing of any ASIN at a moment: the seller's own offer (if the ASIN is in its
 * catalogue and not suppressed) plus 0-6 competitors whose prices drift around it.
 */
export function offersAt(seller: Seller, asin: string, mp: MarketplaceInfo, nowMs: number): OfferSnapshot {
  const slot = offerSlot(nowMs);
  const product = productByAsin(seller, asin);
  const base = product
    ? localPriceCents(product.priceCents, mp.fx)
    : Math.round((1500 + (hash32(asin) % 4000)) * mp.fx);
  const r = rng('market', asin, mp.id, slot);
  const stable = rng('market', asin, mp.id);
  const offers: MarketOffer[] = [];
  if (product && !product.suppressed) {
    offers.push({
      sellerId: seller.id,
      mine: true,
      priceCents: sellerPriceCents(seller, product, mp, nowMs),
      shippingCents: product.fulfillment === 'MFN' ? Math.round(499 * mp.fx) : 0,
      fba: product.fulfillment === 'AFN',
      feedbackCount: 1200 + (hash32(seller.id) % 5000),
      feedbackPositive: 97,
      buyBoxWinner: false,
      featuredMerchant: true,
    });
  }
  const competitors = Math.min(6, Math.max(product ? 0 : 1, stable.int(0, 4) + r.int(-1, 2)));
  for (let i = 0; i < competitors; i++) {
    const fba = stable.chance(0.6);
    offers.push({
      sellerId: `A${(hash32(asin, 'competitor', i) % 1e12).toString(36).toUpperCase().padStart(12, '0').slice(0, 12)}`,
      mine: false,
      priceCents: Math.round((base * (0.88 + r.next() * 0.26)) / 10) * 10 - 1,
      shippingCents: fba ? 0 : Math.round(r.pick([0, 399, 499]) * mp.fx),
      fba,
      feedbackCount: r.int(5, 20000),
      feedbackPositive: r.int(80, 100),
      buyBoxWinner: false,
      featuredMerchant: true,
    });
  }
  // Buy box: lowest landed price, with merchant-fulfilled offers handicapped 3%.
  let best: MarketOffer | undefined;
  const score = (o: MarketOffer) => (o.priceCents + o.shippingCents) * (o.fba ? 1 : 1.03);
  for (const o of offers) if (!best || score(o) < score(best)) best = o;
  // Occasionally nobody wins (suppressed buy box), as Amazon does for outlier prices.
  if (best && !r.chance(0.05)) best.buyBoxWinner = true;
  offers.sort((a, b) => a.priceCents + a.shippingCents - (b.priceCents + b.shippingCents));
  return {
    asin,
    marketplace: mp,
    slot,
    offers,
    listPriceCents: Math.round(base * 1.2),
    salesRank: 100 + (hash32(asin, mp.id, Math.floor(slot / 6)) % 50_000),
    category: product?.category.toLowerCase().replace(/\s+/g, '_') ?? 'home_garden_display_on_website',
  };
}

export const buyBoxWinner = (s: OfferSnapshot): MarketOffer | undefined =>
  s.offers.find((o) => o.buyBoxWinner);
