export interface MarketplaceInfo {
  id: string;
  name: string;
  countryCode: string;
  currency: string;
  language: string;
  domain: string;
  region: 'NA' | 'EU';
  /** Price multiplier from the USD base price (rounded local pricing). */
  fx: number;
  /** Share of the seller's orders placed in this marketplace. */
  share: number;
  salesChannel: string;
}

export const MARKETPLACES: readonly MarketplaceInfo[] = [
  {
    id: 'ATVPDKIKX0DER',
    name: 'Amazon.com',
    countryCode: 'US',
    currency: 'USD',
    language: 'en_US',
    domain: 'www.amazon.com',
    region: 'NA',
    fx: 1,
    share: 0.7,
    salesChannel: 'Amazon.com',
  },
  {
    id: 'A2EUQ1WTGCTBG2',
    name: 'Amazon.ca',
    countryCode: 'CA',
    currency: 'CAD',
    language: 'en_CA',
    domain: 'www.amazon.ca',
    region: 'NA',
    fx: 1.37,
    share: 0.12,
    salesChannel: 'Amazon.ca',
  },
  {
    id: 'A1AM78C64UM0Y8',
    name: 'Amazon.com.mx',
    countryCode: 'MX',
    currency: 'MXN',
    language: 'es_MX',
    domain: 'www.amazon.com.mx',
    region: 'NA',
    fx: 18.5,
    share: 0.08,
    salesChannel: 'Amazon.com.mx',
  },
  {
    id: 'A1F83G8C2ARO7P',
    name: 'Amazon.co.uk',
    countryCode: 'GB',
    currency: 'GBP',
    language: 'en_GB',
    domain: 'www.amazon.co.uk',
    region: 'EU',
    fx: 0.79,
    share: 0.1,
    salesChannel: 'Amazon.co.uk',
  },
];

export const marketplaceById = (id: string): MarketplaceInfo | undefined =>
  MARKETPLACES.find((m) => m.id === id);

/** Marketplace ids Amazon knows but this sandbox's sellers do not sell in: accepted, with no data. */
export const OTHER_KNOWN_MARKETPLACES = new Set([
  'A1PA6795UKMFR9',
  'A13V1IB3VIYZZH',
  'APJ6JRA9NG5V4',
  'A1RKKUPIHCS9HS',
  'A1VC38T7YXB528',
  'A39IBJ37TRP1C6',
  'A2Q3Y263D00KWC',
  'A21TJRUUN4KGV',
  'A1805IZSGTT6HS',
  'A2NODRKZP88ZB9',
  'A1C3SOZRARQ6R3',
  'ARBP9OOSHTCHU',
  'A33AVAJ2PDY3EV',
  'A17E79C6D8DWNP',
  'A2VIGQ35RCS4UG',
  'A19VAU5U5O7RUS',
  'AMEN7PMS3EDWL',
  'A28R8C7NBKEWEA',
]);

/**
 * Participations a seller has besides its stores, as Amazon lists them: "Non-Amazon" is the
 * Multi-Channel Fulfillment channel (orders from the seller's own sites, no Amazon storefront),
 * and a registration in a marketplace where the seller does not sell is listed as not participating.
 * Neither has orders, listings or reports of its own.
 */
export const OTHER_PARTICIPATIONS: readonly {
  marketplace: Pick<MarketplaceInfo, 'id' | 'name' | 'countryCode' | 'currency' | 'language' | 'domain'>;
  isParticipating: boolean;
}[] = [
  {
    marketplace: {
      id: 'A2ZV50J4W1RKNI',
      name: 'Non-Amazon',
      countryCode: 'US',
      currency: 'USD',
      language: 'en_US',
      domain: 'sim1.stores.amazon.com',
    },
    isParticipating: true,
  },
  {
    marketplace: {
      id: 'A2Q3Y263D00KWC',
      name: 'Amazon.com.br',
      countryCode: 'BR',
      currency: 'BRL',
      language: 'pt_BR',
      domain: 'www.amazon.com.br',
    },
    isParticipating: false,
  },
];
