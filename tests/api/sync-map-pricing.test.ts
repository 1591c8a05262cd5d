import { describe, expect, it } from 'vitest';
import type { ItemOffersPayload } from '../../src/amazon/sp-types';
import {
  buyBoxAlerts,
  captureSlot,
  mapOffers,
  type PricedProduct,
} from '../../src/services/sync/pricing/pricing-map';

const US = 'ATVPDKIKX0DER';
const NOW = new Date('2026-03-02T10:41:07Z');
const scope = {
  tenantId: 'tenant-1',
  asin: 'B0TEST0001',
  marketplaceId: US,
  sellerId: 'ASELLERME',
  slot: captureSlot(NOW),
  now: NOW,
};
const usd = (Amount: string) => ({ CurrencyCode: 'USD', Amount });

const OURS = {
  SellerId: 'ASELLERME',
  ListingPrice: usd('19.99'),
  Shipping: usd('0.00'),
  IsFulfilledByAmazon: true,
};
const RIVAL = {
  SellerId: 'ARIVAL',
  ListingPrice: usd('18.50'),
  Shipping: usd('1.25'),
  IsBuyBoxWinner: true,
  SellerFeedbackRating: { SellerPositiveFeedbackRating: 97 },
};

describe('mapOffers', () => {
  it('another seller holds the buy box: lost, with its price, our price, the lowest price and every offer', () => {
    const payload: ItemOffersPayload = {
      Summary: {
        TotalOfferCount: 3,
        BuyBoxPrices: [{ LandedPrice: usd('19.75'), ListingPrice: usd('18.50') }],
        LowestPrices: [{ LandedPrice: usd('20.10') }, { ListingPrice: usd('18.00') }],
        SalesRankings: [{ Rank: 1234 }],
      },
      // The third offer has no price: it is not a competitor row.
      Offers: [OURS, RIVAL, { SellerId: 'ANOPRICE' }],
    };
    const m = mapOffers(payload, scope);
    expect(m.product).toEqual({
      asin: scope.asin,
      marketplaceId: US,
      status: 'lost',
      buyBox: '19.75',
      ourPrice: OURS.ListingPrice.Amount,
      rank: 1234,
      currency: 'USD',
    });
    expect(m.history).toMatchObject({
      capturedAt: new Date('2026-03-02T10:00:00Z'),
      lowestPrice: '18.00',
      buyBoxWinner: false,
      offerCount: payload.Summary!.TotalOfferCount,
      salesRank: 1234,
    });
    expect(
      m.offers.map((o) => [o.sellerId, o.price, o.shipping, o.isBuyBoxWinner, o.feedbackRating]),
    ).toEqual([
      ['ASELLERME', '19.99', '0.00', false, null],
      ['ARIVAL', '18.50', '1.25', true, '97'],
    ]);
    expect(m.offers.every((o) => o.capturedAt === NOW && o.tenantId === 'tenant-1')).toBe(true);
  });

  it('our offer wins (recognised by seller id without MyOffer); without a summary the winner sets the price', () => {
    const m = mapOffers(
      {
        Offers: [
          { ...OURS, IsBuyBoxWinner: true },
          { ...RIVAL, IsBuyBoxWinner: false },
        ],
      },
      scope,
    );
    expect(m.product.status).toBe('winner');
    expect(m.product.buyBox).toBe(OURS.ListingPrice.Amount);
    expect(m.history.buyBoxWinner).toBe(true);
    expect(m.history.offerCount).toBe(2);
    expect(m.history.lowestPrice).toBeNull();
  });

  it('nobody holds the buy box: suppressed', () => {
    const m = mapOffers({ Offers: [OURS, { ...RIVAL, IsBuyBoxWinner: false }] }, scope);
    expect(m.product).toMatchObject({ status: 'suppressed', buyBox: null });
  });
});

describe('buyBoxAlerts', () => {
  const product = (status: string, asin: string): PricedProduct => ({
    asin,
    marketplaceId: US,
    title: `Title ${asin}`,
    status,
    previous: 'winner',
    buyBox: '18.50',
  });

  it('raises BUYBOX_LOST for lost listings and resolves it for won ones', () => {
    const { raise, resolve } = buyBoxAlerts([
      product('lost', 'A1'),
      product('winner', 'A2'),
      product('suppressed', 'A3'),
    ]);
    expect(raise).toEqual([
      expect.objectContaining({
        type: 'BUYBOX_LOST',
        asin: 'A1',
        title: 'Buy box lost: Title A1',
        message: 'Another seller holds the buy box at 18.50',
        dedupeKey: `BUYBOX_LOST:A1:${US}`,
      }),
    ]);
    expect(resolve).toEqual([`BUYBOX_LOST:A2:${US}`]);
  });
});
