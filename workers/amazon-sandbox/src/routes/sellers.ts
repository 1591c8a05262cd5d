import { Hono } from 'hono';
import { productsFor } from '../data/products';
import { type SpEnv, spGate } from '../lib/sp-gate';

export const sellers = new Hono<SpEnv>();

sellers.get('/sellers/v1/marketplaceParticipations', spGate('getMarketplaceParticipations'), (c) => {
  const seller = c.get('seller');
  const hasSuppressed = productsFor(seller).some((p) => p.suppressed);
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
      participation: { isParticipating: true, hasSuspendedListings: hasSuppressed },
      storeName: seller.storeName,
    })),
  });
});
