import { Hono } from 'hono';
import { type SpEnv, spGate } from '../lib/sp-gate';

export const sellers = new Hono<SpEnv>();

sellers.get('/sellers/v1/marketplaceParticipations', spGate('getMarketplaceParticipations'), (c) => {
  const seller = c.get('seller');
  const isParticipating = c.get('config').faults.noParticipation !== true;
  return c.json({
    payload: seller.marketplaces.map((m) => ({
      marketplace: {
        id: m.id,
        name: m.name,
        countryCode: m.countryCode,
        defaultCurrencyCode: m.currency,
        defaultLanguageCode: m.language,
        domainName: m.domain,
      },
      // Suppressed (search-hidden) listings are not suspended ones; sandbox sellers have none suspended.
      participation: { isParticipating, hasSuspendedListings: false },
      storeName: seller.storeName,
    })),
  });
});
