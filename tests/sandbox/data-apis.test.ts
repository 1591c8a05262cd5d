import { describe, expect, it } from 'vitest';
import { eventsFromDay } from '../../workers/amazon-sandbox/src/data/finances';
import { MARKETPLACES } from '../../workers/amazon-sandbox/src/data/marketplaces';
import { offersAt } from '../../workers/amazon-sandbox/src/data/offers';
import { productsFor } from '../../workers/amazon-sandbox/src/data/products';
import { makeSeller } from '../../workers/amazon-sandbox/src/data/seller';
import { connect, control, sp } from './helpers';

const US = 'ATVPDKIKX0DER';

describe('inventory, finances, pricing, catalog', () => {
  it('pages FBA inventory with nextToken and reports inbound and reserved stock', async () => {
    const s = await connect('ASBXLARGE' + Math.random().toString(36).slice(2, 7).toUpperCase());
    const skus: string[] = [];
    let url = `/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=${US}&marketplaceIds=${US}&details=true`;
    let inbound = 0;
    let reserved = 0;
    for (let page = 0; page < 10; page++) {
      await control(`/sellers/${s.sellerId}/rate-limits/reset`, {});
      const body = (await (await sp(s, url)).json()) as {
        payload: {
          inventorySummaries: {
            sellerSku: string;
            inventoryDetails: {
              inboundShippedQuantity: number;
              inboundWorkingQuantity: number;
              reservedQuantity: { totalReservedQuantity: number };
            };
          }[];
        };
        pagination?: { nextToken: string };
      };
      for (const i of body.payload.inventorySummaries) {
        skus.push(i.sellerSku);
        inbound += i.inventoryDetails.inboundShippedQuantity + i.inventoryDetails.inboundWorkingQuantity;
        reserved += i.inventoryDetails.reservedQuantity.totalReservedQuantity;
      }
      if (!body.pagination) break;
      url = `/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=${US}&marketplaceIds=${US}&details=true&nextToken=${encodeURIComponent(body.pagination.nextToken)}`;
    }
    const expected = productsFor(makeSeller(s.sellerId))
      .filter((p) => p.fulfillment === 'AFN')
      .map((p) => p.sku);
    expect(skus).toEqual(expected);
    expect(expected.length).toBeGreaterThan(50);
    expect(inbound).toBeGreaterThan(0);
    expect(reserved).toBeGreaterThan(0);
  });

  it('lists financial events with Amazon fee types, matching the generator', async () => {
    const s = await connect();
    const seller = makeSeller(s.sellerId);
    const day = seller.endDay - 20;
    const from = day * 86_400_000;
    const to = from + 86_400_000;
    const body = (await (
      await sp(
        s,
        `/finances/v0/financialEvents?PostedAfter=${new Date(from).toISOString()}&PostedBefore=${new Date(to).toISOString()}`,
      )
    ).json()) as {
      payload: {
        FinancialEvents: {
          ShipmentEventList: { ShipmentItemList: { ItemFeeList: { FeeType: string }[] }[] }[];
          RefundEventList: {
            ShipmentItemAdjustmentList: { ItemFeeAdjustmentList: { FeeType: string }[] }[];
          }[];
        };
        NextToken?: string;
      };
    };
    const events = body.payload.FinancialEvents;
    let expectedShipments = 0;
    const expectedFees = new Set<string>();
    for (let d = day - 41; d <= day; d++)
      for (const e of eventsFromDay(seller, d))
        if (e.kind === 'Shipment' && e.postedMs >= from && e.postedMs < to) {
          expectedShipments++;
          for (const i of e.items) for (const f of i.fees) expectedFees.add(f.type);
        }
    const fees = new Set(
      events.ShipmentEventList.flatMap((e) =>
        e.ShipmentItemList.flatMap((i) => i.ItemFeeList.map((f) => f.FeeType)),
      ),
    );
    if (!body.payload.NextToken) {
      expect(events.ShipmentEventList.length).toBe(expectedShipments);
      expect(fees).toEqual(expectedFees);
    } else for (const f of fees) expect([...expectedFees]).toContain(f);
    for (const f of ['Commission', 'FBAPerUnitFulfillmentFee']) expect([...fees]).toContain(f);
  });

  it('reports RefundCommission on refunds, a media closing fee and FBAStorageFee service fees somewhere in history', () => {
    const seller = makeSeller('A2DEMOSELLER01');
    const types = new Set<string>();
    for (let d = seller.endDay - 60; d < seller.endDay; d++) {
      for (const e of eventsFromDay(seller, d)) {
        for (const f of e.fees) types.add(f.type);
        for (const i of e.items) for (const f of i.fees) types.add(f.type);
      }
    }
    for (const t of [
      'Commission',
      'FBAPerUnitFulfillmentFee',
      'VariableClosingFee',
      'RefundCommission',
      'FBAStorageFee',
      'CostOfAdvertising',
    ])
      expect(types).toContain(t);
  });

  it('changes competing offers and the buy box over time', () => {
    const seller = makeSeller('A2DEMOSELLER01');
    const asin = productsFor(seller)[0]!.asin;
    const winners = new Set<string>();
    const counts = new Set<number>();
    for (let h = 0; h < 24 * 14; h += 4) {
      const snap = offersAt(seller, asin, MARKETPLACES[0]!, Date.now() - h * 3_600_000);
      counts.add(snap.offers.length);
      winners.add(snap.offers.find((o) => o.buyBoxWinner)?.sellerId ?? 'none');
    }
    expect(counts.size).toBeGreaterThan(1);
    expect(winners.size).toBeGreaterThan(1);
  });

  it('getItemOffers marks our offer and the buy box winner', async () => {
    const s = await connect();
    const asin = productsFor(makeSeller(s.sellerId))[0]!.asin;
    const body = (await (
      await sp(s, `/products/pricing/v0/items/${asin}/offers?MarketplaceId=${US}&ItemCondition=New`)
    ).json()) as { payload: { Offers: { MyOffer: boolean; IsBuyBoxWinner: boolean; SellerId: string }[] } };
    expect(body.payload.Offers.filter((o) => o.MyOffer).map((o) => o.SellerId)).toEqual([s.sellerId]);
    expect(body.payload.Offers.filter((o) => o.IsBuyBoxWinner).length).toBeLessThanOrEqual(1);
  });

  it('a price change through the control API shows in offers', async () => {
    const s = await connect();
    const product = productsFor(makeSeller(s.sellerId))[0]!;
    await control(`/sellers/${s.sellerId}/prices`, { sku: product.sku, marketplaceId: US, price: 9.99 });
    const body = (await (
      await sp(s, `/products/pricing/v0/items/${product.asin}/offers?MarketplaceId=${US}&ItemCondition=New`)
    ).json()) as { payload: { Offers: { MyOffer: boolean; ListingPrice: { Amount: number } }[] } };
    expect(body.payload.Offers.find((o) => o.MyOffer)!.ListingPrice.Amount).toBe(9.99);
  });

  it('getCatalogItem returns the seller product title', async () => {
    const s = await connect();
    const product = productsFor(makeSeller(s.sellerId))[3]!;
    const body = (await (
      await sp(s, `/catalog/2022-04-01/items/${product.asin}?marketplaceIds=${US}`)
    ).json()) as { summaries: { itemName: string }[] };
    expect(body.summaries[0]!.itemName).toBe(product.title);
  });
});
