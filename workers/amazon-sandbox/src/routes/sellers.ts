import { Hono } from 'hono';
import { type MarketplaceInfo, OTHER_PARTICIPATIONS } from '../data/marketplaces';
import { type SpEnv, spGate } from '../lib/sp-gate';

export const sellers = new Hono<SpEnv>();

type ListedMarketplace = Pick<
  MarketplaceInfo,
  'id' | 'name' | 'countryCode' | 'currency' | 'language' | 'domain'
>;

const marketplaceBody = (m: ListedMarketplace) => ({
  id: m.id,
  name: m.name,
  countryCode: m.countryCode,
  defaultCurrencyCode: m.currency,
  defaultLanguageCode: m.language,
  domainName: m.domain,
});

/** The seller's stores, then its other participations (Non-Amazon, an inactive registration). */
sellers.get('/sellers/v1/marketplaceParticipations', spGate('getMarketplaceParticipations'), (c) => {
  const seller = c.get('seller');
  const participating = c.get('config').faults.noParticipation !== true;
  const listed = [
    ...seller.marketplaces.map((marketplace) => ({ marketplace, isParticipating: true })),
    ...OTHER_PARTICIPATIONS,
  ];
  return c.json({
    payload: listed.map((p) => ({
      marketplace: marketplaceBody(p.marketplace),
      // Suppressed (search-hidden) listings are not suspended ones; sandbox sellers have none suspended.
      participation: { isParticipating: participating && p.isParticipating, hasSuspendedListings: false },
      storeName: seller.storeName,
    })),
  });
});
