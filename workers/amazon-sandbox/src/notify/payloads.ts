import { shipTo } from '../data/addresses';
import { inventoryAt, reservedTotal, unfulfillableTotal } from '../data/inventory';
import type { MarketplaceInfo } from '../data/marketplaces';
import { buyBoxWinner, type OfferSnapshot } from '../data/offers';
import { type GenOrder, statusAt } from '../data/orders';
import type { Product } from '../data/products';
import type { Seller } from '../data/seller';

/** Payload builders, one per notification type, in the casing each official schema uses. */

export function orderChangePayload(
  seller: Seller,
  o: GenOrder,
  nowMs: number,
  reason: string,
): Record<string, unknown> {
  const status = statusAt(o, nowMs);
  const units = o.lines.reduce((s, l) => s + l.quantity, 0);
  return {
    OrderChangeNotification: {
      NotificationLevel: 'OrderLevel',
      SellerId: seller.id,
      AmazonOrderId: o.orderId,
      OrderChangeType: 'OrderStatusChange',
      OrderChangeTrigger: { TimeOfOrderChange: new Date(nowMs).toISOString(), ChangeReason: reason },
      Summary: {
        MarketplaceId: o.marketplace.id,
        OrderStatus: status,
        PurchaseDate: new Date(o.createdMs).toISOString(),
        DestinationPostalCode: shipTo(o).postalCode,
        FulfillmentType: o.fulfillment,
        OrderType: 'StandardOrder',
        NumberOfItemsShipped: status === 'Shipped' ? units : 0,
        NumberOfItemsUnshipped: status === 'Shipped' || status === 'Canceled' ? 0 : units,
        EarliestShipDate: new Date(o.createdMs).toISOString(),
        LatestShipDate: new Date(o.createdMs + 2 * 86_400_000).toISOString(),
        OrderItems: o.lines.map((l) => ({
          OrderItemId: l.orderItemId,
          SellerSKU: l.product.sku,
          SupplySourceId: o.fulfillment === 'AFN' ? 'AFN' : `ss-${seller.id.toLowerCase()}`,
          // The schema only knows Unshipped and Shipped at item level.
          ...(status === 'Canceled'
            ? {}
            : { OrderItemStatus: status === 'Shipped' ? 'Shipped' : 'Unshipped' }),
          Quantity: l.quantity,
          QuantityShipped: status === 'Shipped' ? l.quantity : 0,
        })),
      },
    },
  };
}

const money = (cents: number, cur: string) => ({ Amount: Math.round(cents) / 100, CurrencyCode: cur });

export function anyOfferChangedPayload(
  seller: Seller,
  s: OfferSnapshot,
  nowMs: number,
  changeType: 'Internal' | 'External',
): Record<string, unknown> {
  const cur = s.marketplace.currency;
  const channels = [
    { name: 'Amazon', list: s.offers.filter((o) => o.fba) },
    { name: 'Merchant', list: s.offers.filter((o) => !o.fba) },
  ].filter((c) => c.list.length > 0);
  const landed = (o: { priceCents: number; shippingCents: number }) => o.priceCents + o.shippingCents;
  const winner = buyBoxWinner(s);
  const lowest = s.offers.length > 0 ? Math.min(...s.offers.map(landed)) : s.listPriceCents;
  return {
    AnyOfferChangedNotification: {
      SellerId: seller.id,
      OfferChangeTrigger: {
        MarketplaceId: s.marketplace.id,
        ASIN: s.asin,
        ItemCondition: 'New',
        TimeOfOfferChange: new Date(nowMs).toISOString(),
        OfferChangeType: changeType,
      },
      Summary: {
        NumberOfOffers: channels.map((c) => ({
          Condition: 'new',
          FulfillmentChannel: c.name,
          OfferCount: c.list.length,
        })),
        LowestPrices: channels.map((c) => {
          const low = c.list.reduce((a, b) => (landed(b) < landed(a) ? b : a));
          return {
            Condition: 'new',
            FulfillmentChannel: c.name,
            LandedPrice: money(landed(low), cur),
            ListingPrice: money(low.priceCents, cur),
            Shipping: money(low.shippingCents, cur),
          };
        }),
        BuyBoxPrices: winner
          ? [
              {
                Condition: 'new',
                LandedPrice: money(landed(winner), cur),
                ListingPrice: money(winner.priceCents, cur),
                Shipping: money(winner.shippingCents, cur),
              },
            ]
          : [],
        ListPrice: money(s.listPriceCents, cur),
        MinimumAdvertisedPrice: money(Math.round(s.listPriceCents * 0.7), cur),
        SuggestedLowerPricePlusShipping: money(lowest, cur),
        TotalBuyBoxEligibleOffers: s.offers.length,
        SalesRankings: [{ ProductCategoryId: s.category, Rank: s.salesRank }],
        NumberOfBuyBoxEligibleOffers: channels.map((c) => ({
          Condition: 'new',
          FulfillmentChannel: c.name,
          OfferCount: c.list.length,
        })),
        CompetitivePriceThreshold: money(lowest, cur),
      },
      Offers: s.offers.slice(0, 20).map((o) => ({
        SellerId: o.sellerId,
        SubCondition: 'new',
        SellerFeedbackRating: {
          FeedbackCount: o.feedbackCount,
          SellerPositiveFeedbackRating: o.feedbackPositive,
        },
        ShippingTime: {
          MinimumHours: o.fba ? 0 : 24,
          MaximumHours: o.fba ? 0 : 48,
          AvailabilityType: 'NOW',
          AvailableDate: new Date(nowMs).toISOString(),
        },
        ListingPrice: money(o.priceCents, cur),
        Points: { PointsNumber: 0 },
        Shipping: money(o.shippingCents, cur),
        ShipsFrom: { Country: s.marketplace.countryCode, State: o.fba ? 'WA' : 'NY' },
        IsFulfilledByAmazon: o.fba,
        IsBuyBoxWinner: o.buyBoxWinner,
        PrimeInformation: { IsOfferPrime: o.fba, IsOfferNationalPrime: o.fba },
        IsExpeditedShippingAvailable: o.fba,
        IsFeaturedMerchant: o.featuredMerchant,
        ShipsDomestically: true,
        ShipsInternationally: false,
      })),
    },
  };
}

export function inventoryChangePayload(
  seller: Seller,
  p: Product,
  markets: readonly MarketplaceInfo[],
  nowMs: number,
): Record<string, unknown> {
  return {
    SellerId: seller.id,
    FNSKU: p.fnSku,
    ASIN: p.asin,
    SKU: p.sku,
    FulfillmentInventoryByMarketplace: markets.map((mp) => {
      const l = inventoryAt(seller, p, mp, nowMs);
      return {
        MarketplaceId: mp.id,
        ItemName: p.title,
        FulfillmentInventory: {
          InboundQuantityBreakdown: {
            Working: l.inboundWorking,
            Shipped: l.inboundShipped,
            Receiving: l.inboundReceiving,
          },
          Fulfillable: l.fulfillable,
          Unfulfillable: unfulfillableTotal(l),
          Researching: l.researching,
          ReservedQuantityBreakdown: {
            WarehouseProcessing: l.reservedFcProcessing,
            WarehouseTransfer: l.reservedTransshipment,
            PendingCustomerOrder: l.reservedPendingOrders,
          },
          FutureSupplyBuyable: 0,
          PendingCustomerOrderInTransit: 0,
        },
      };
    }),
  };
}

export function reportFinishedPayload(
  sellerId: string,
  report: { reportId: string; reportType: string; processingStatus: string; reportDocumentId?: string },
): Record<string, unknown> {
  return {
    reportProcessingFinishedNotification: {
      sellerId,
      accountId: `amzn1.merchant.o.${sellerId}`,
      reportId: report.reportId,
      reportType: report.reportType,
      processingStatus: report.processingStatus,
      ...(report.reportDocumentId ? { reportDocumentId: report.reportDocumentId } : {}),
    },
  };
}

export { reservedTotal };
