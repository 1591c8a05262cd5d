import { buyBoxWinner, type MarketOffer, type OfferSnapshot } from './offers';

const money = (cents: number, cur: string) => ({ CurrencyCode: cur, Amount: Math.round(cents) / 100 });

/** Product Pricing v0 `GetOffersResult` (getItemOffers / getListingOffers and their batches). */
export function offersResultV0(s: OfferSnapshot, nowMs: number, sku?: string): Record<string, unknown> {
  const cur = s.marketplace.currency;
  const channels = [
    { name: 'Amazon', list: s.offers.filter((o) => o.fba) },
    { name: 'Merchant', list: s.offers.filter((o) => !o.fba) },
  ].filter((c) => c.list.length > 0);
  const winner = buyBoxWinner(s);
  const landed = (o: MarketOffer) => o.priceCents + o.shippingCents;
  return {
    marketplaceId: s.marketplace.id,
    ASIN: s.asin,
    ...(sku ? { SKU: sku } : {}),
    status: 'Success',
    ItemCondition: 'New',
    Identifier: {
      MarketplaceId: s.marketplace.id,
      ASIN: s.asin,
      ...(sku ? { SellerSKU: sku } : {}),
      ItemCondition: 'New',
    },
    Summary: {
      TotalOfferCount: s.offers.length,
      NumberOfOffers: channels.map((c) => ({
        condition: 'new',
        fulfillmentChannel: c.name,
        OfferCount: c.list.length,
      })),
      LowestPrices: channels.map((c) => {
        const low = c.list.reduce((a, b) => (landed(b) < landed(a) ? b : a));
        return {
          condition: 'new',
          fulfillmentChannel: c.name,
          LandedPrice: money(landed(low), cur),
          ListingPrice: money(low.priceCents, cur),
          Shipping: money(low.shippingCents, cur),
        };
      }),
      ...(winner
        ? {
            BuyBoxPrices: [
              {
                condition: 'New',
                LandedPrice: money(landed(winner), cur),
                ListingPrice: money(winner.priceCents, cur),
                Shipping: money(winner.shippingCents, cur),
              },
            ],
          }
        : {}),
      ListPrice: money(s.listPriceCents, cur),
      SalesRankings: [{ ProductCategoryId: s.category, Rank: s.salesRank }],
      BuyBoxEligibleOffers: channels.map((c) => ({
        condition: 'new',
        fulfillmentChannel: c.name,
        OfferCount: c.list.length,
      })),
      OffersAvailableTime: new Date(nowMs).toISOString(),
    },
    Offers: s.offers.slice(0, 20).map((o) => ({
      MyOffer: o.mine,
      SellerId: o.sellerId,
      SubCondition: 'new',
      SellerFeedbackRating: {
        SellerPositiveFeedbackRating: o.feedbackPositive,
        FeedbackCount: o.feedbackCount,
      },
      ShippingTime: { minimumHours: o.fba ? 0 : 24, maximumHours: o.fba ? 0 : 48, availabilityType: 'NOW' },
      ListingPrice: money(o.priceCents, cur),
      Shipping: money(o.shippingCents, cur),
      ShipsFrom: { Country: s.marketplace.countryCode },
      IsFulfilledByAmazon: o.fba,
      PrimeInformation: { IsPrime: o.fba, IsNationalPrime: o.fba },
      IsBuyBoxWinner: o.buyBoxWinner,
      IsFeaturedMerchant: o.featuredMerchant,
    })),
  };
}

const m22 = (cents: number, cur: string) => ({ amount: Math.round(cents) / 100, currencyCode: cur });

function offer22(o: MarketOffer, cur: string): Record<string, unknown> {
  return {
    sellerId: o.sellerId,
    condition: 'New',
    fulfillmentType: o.fba ? 'AFN' : 'MFN',
    listingPrice: m22(o.priceCents, cur),
    shippingOptions: [{ shippingOptionType: 'DEFAULT', price: m22(o.shippingCents, cur) }],
    primeDetails: { eligibility: o.fba ? 'NATIONAL' : 'NONE' },
  };
}

/** Product Pricing 2022-05-01 `CompetitiveSummaryResponseBody`. */
export function competitiveSummary(s: OfferSnapshot, included: string[]): Record<string, unknown> {
  const cur = s.marketplace.currency;
  const winner = buyBoxWinner(s);
  const body: Record<string, unknown> = { asin: s.asin, marketplaceId: s.marketplace.id };
  if (included.includes('featuredBuyingOptions')) {
    // With no featured offer (suppressed buy box) Amazon lists no buying option: the schema needs at least one offer.
    body.featuredBuyingOptions = winner
      ? [
          {
            buyingOptionType: 'New',
            segmentedFeaturedOffers: [
              {
                ...offer22(winner, cur),
                featuredOfferSegments: [
                  { customerMembership: 'PRIME', segmentDetails: { glanceViewWeightPercentage: 65 } },
                  { customerMembership: 'NON_PRIME', segmentDetails: { glanceViewWeightPercentage: 35 } },
                ],
              },
            ],
          },
        ]
      : [];
  }
  if (included.includes('lowestPricedOffers')) {
    body.lowestPricedOffers =
      s.offers.length > 0
        ? [
            {
              lowestPricedOffersInput: { itemCondition: 'New', offerType: 'Consumer' },
              offers: s.offers.slice(0, 20).map((o) => offer22(o, cur)),
            },
          ]
        : [];
  }
  if (included.includes('referencePrices')) {
    const prices = s.offers.map((o) => o.priceCents + o.shippingCents);
    body.referencePrices = [
      ...(prices.length > 0 ? [{ name: 'CompetitivePrice', price: m22(Math.min(...prices), cur) }] : []),
      { name: 'WasPrice', price: m22(s.listPriceCents, cur) },
    ];
  }
  if (included.includes('similarItems')) body.similarItems = [];
  return body;
}
