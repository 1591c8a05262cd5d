import { describe, expect, it } from 'vitest';
import { MARKETPLACES } from '../../workers/amazon-sandbox/src/data/marketplaces';
import { productsFor } from '../../workers/amazon-sandbox/src/data/products';
import { makeSeller } from '../../workers/amazon-sandbox/src/data/seller';
import { validateResponse } from './contract';
import { connect, control, sp } from './helpers';

/**
 * Data-dependent shapes (no buy box, no competitors, cancelled or pending orders, refunds) only
 * show up across many records, so this sweep validates every product and several order windows.
 */
describe('contract sweep across a whole catalogue', () => {
  it('item offers, listing offers and competitive summaries validate for every product in every marketplace', async () => {
    const s = await connect();
    const products = productsFor(makeSeller(s.sellerId));
    for (const mp of MARKETPLACES) {
      for (let i = 0; i < products.length; i += 20) {
        const batch = products.slice(i, i + 20);
        await control(`/sellers/${s.sellerId}/rate-limits/reset`, {});
        const offers = await sp(s, '/batches/products/pricing/v0/itemOffers', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            requests: batch.map((p) => ({
              uri: `/products/pricing/v0/items/${p.asin}/offers`,
              method: 'GET',
              MarketplaceId: mp.id,
              ItemCondition: 'New',
            })),
          }),
        });
        expect(
          validateResponse(
            'pricingV0',
            '/batches/products/pricing/v0/itemOffers',
            'post',
            offers.status,
            await offers.json(),
          ),
        ).toEqual([]);
        const listings = await sp(s, '/batches/products/pricing/v0/listingOffers', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            requests: batch.map((p) => ({
              uri: `/products/pricing/v0/listings/${encodeURIComponent(p.sku)}/offers`,
              method: 'GET',
              MarketplaceId: mp.id,
              ItemCondition: 'New',
            })),
          }),
        });
        expect(
          validateResponse(
            'pricingV0',
            '/batches/products/pricing/v0/listingOffers',
            'post',
            listings.status,
            await listings.json(),
          ),
        ).toEqual([]);
        const summary = await sp(s, '/batches/products/pricing/2022-05-01/items/competitiveSummary', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            requests: batch.map((p) => ({
              asin: p.asin,
              marketplaceId: mp.id,
              includedData: ['featuredBuyingOptions', 'referencePrices', 'lowestPricedOffers'],
              method: 'GET',
              uri: '/products/pricing/2022-05-01/items/competitiveSummary',
            })),
          }),
        });
        expect(
          validateResponse(
            'pricing2022',
            '/batches/products/pricing/2022-05-01/items/competitiveSummary',
            'post',
            summary.status,
            await summary.json(),
          ),
        ).toEqual([]);
      }
    }
  });

  it('orders of every age and state validate in both Orders APIs, and finance events over 60 days validate', async () => {
    const s = await connect();
    const all =
      'BUYER,RECIPIENT,PROCEEDS,EXPENSE,PROMOTION,CANCELLATION,FULFILLMENT,PACKAGES,TAX,PAYMENT,FULFILLMENT_ORDERS';
    for (const hoursAgo of [2, 20, 24 * 3, 24 * 40, 24 * 200]) {
      await control(`/sellers/${s.sellerId}/rate-limits/reset`, {});
      const after = new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
      const v26 = await sp(s, `/orders/2026-01-01/orders?createdAfter=${after}&includedData=${all}`);
      expect(
        validateResponse('orders2026', '/orders/2026-01-01/orders', 'get', v26.status, await v26.json()),
      ).toEqual([]);
      const v0 = await sp(
        s,
        `/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER,A2EUQ1WTGCTBG2,A1AM78C64UM0Y8,A1F83G8C2ARO7P&CreatedAfter=${after}`,
      );
      const body = (await v0.json()) as { payload: { Orders: { AmazonOrderId: string }[] } };
      expect(validateResponse('ordersV0', '/orders/v0/orders', 'get', v0.status, body)).toEqual([]);
      for (const o of body.payload.Orders.slice(0, 10)) {
        const items = await sp(s, `/orders/v0/orders/${o.AmazonOrderId}/orderItems`);
        expect(
          validateResponse(
            'ordersV0',
            '/orders/v0/orders/{orderId}/orderItems',
            'get',
            items.status,
            await items.json(),
          ),
        ).toEqual([]);
      }
    }
    const first = `/finances/v0/financialEvents?PostedAfter=${new Date(Date.now() - 60 * 86_400_000).toISOString()}`;
    let url = first;
    for (let page = 0; page < 8; page++) {
      const res = await sp(s, url);
      const body = (await res.json()) as { payload: { NextToken?: string } };
      expect(validateResponse('financesV0', '/finances/v0/financialEvents', 'get', res.status, body)).toEqual(
        [],
      );
      if (!body.payload.NextToken) break;
      // The next page repeats the first call's arguments, as the model asks.
      url = `${first}&NextToken=${encodeURIComponent(body.payload.NextToken)}`;
    }
    const tx = await sp(
      s,
      `/finances/2024-06-19/transactions?postedAfter=${new Date(Date.now() - 60 * 86_400_000).toISOString()}`,
    );
    expect(
      validateResponse(
        'finances2024',
        '/finances/2024-06-19/transactions',
        'get',
        tx.status,
        await tx.json(),
      ),
    ).toEqual([]);
  });
});
