import { toDecimalString } from '../lib/money';
import { iso } from '../lib/time';
import { shipTo } from './addresses';
import { type GenOrder, lastUpdatedAt, type OrderLine, orderTotalCents, statusAt } from './orders';

const money = (cents: number, currency: string) => ({
  CurrencyCode: currency,
  Amount: toDecimalString(cents),
});

/** Orders API v0 `Order`. */
export function orderV0(o: GenOrder, nowMs: number): Record<string, unknown> {
  const status = statusAt(o, nowMs);
  const units = o.lines.reduce((s, l) => s + l.quantity, 0);
  const cur = o.marketplace.currency;
  const addr = shipTo(o);
  const shipBy = o.createdMs + (o.fulfillment === 'AFN' ? 1 : 2) * 86_400_000;
  return {
    AmazonOrderId: o.orderId,
    PurchaseDate: iso(o.createdMs),
    LastUpdateDate: iso(lastUpdatedAt(o, nowMs)),
    OrderStatus: status,
    FulfillmentChannel: o.fulfillment,
    SalesChannel: o.marketplace.salesChannel,
    ShipServiceLevel: o.shipServiceLevel,
    ...(status === 'Canceled' ? {} : { OrderTotal: money(orderTotalCents(o), cur) }),
    NumberOfItemsShipped: status === 'Shipped' ? units : 0,
    NumberOfItemsUnshipped: status === 'Shipped' || status === 'Canceled' ? 0 : units,
    PaymentMethod: 'Other',
    PaymentMethodDetails: ['Standard'],
    MarketplaceId: o.marketplace.id,
    ShipmentServiceLevelCategory: o.fulfillment === 'AFN' ? 'Expedited' : 'Standard',
    OrderType: 'StandardOrder',
    EarliestShipDate: iso(o.createdMs),
    LatestShipDate: iso(shipBy),
    IsBusinessOrder: o.isBusiness,
    IsPrime: o.isPrime,
    IsPremiumOrder: false,
    IsGlobalExpressEnabled: false,
    IsReplacementOrder: false,
    IsSoldByAB: false,
    IsISPU: false,
    IsAccessPointOrder: false,
    HasRegulatedItems: false,
    ShippingAddress: {
      City: addr.city,
      StateOrRegion: addr.state,
      PostalCode: addr.postalCode,
      CountryCode: addr.countryCode,
    },
  };
}

/** Orders API v0 `OrderItem`. */
export function orderItemV0(o: GenOrder, line: OrderLine, nowMs: number): Record<string, unknown> {
  const cur = o.marketplace.currency;
  const status = statusAt(o, nowMs);
  return {
    ASIN: line.product.asin,
    SellerSKU: line.product.sku,
    OrderItemId: line.orderItemId,
    Title: line.product.title,
    QuantityOrdered: line.quantity,
    QuantityShipped: status === 'Shipped' ? line.quantity : 0,
    ProductInfo: { NumberOfItems: '1' },
    ItemPrice: money(line.itemPriceCents, cur),
    ShippingPrice: money(line.shippingCents, cur),
    ItemTax: money(line.itemTaxCents, cur),
    ShippingTax: money(line.shippingTaxCents, cur),
    ShippingDiscount: money(0, cur),
    ShippingDiscountTax: money(0, cur),
    PromotionDiscount: money(line.promotionDiscountCents, cur),
    PromotionDiscountTax: money(0, cur),
    PromotionIds: line.promotionId ? [line.promotionId] : [],
    IsGift: 'false',
    ConditionId: 'New',
    ConditionSubtypeId: 'New',
    IsTransparency: false,
    SerialNumberRequired: false,
    ...(o.marketplace.countryCode === 'US'
      ? { TaxCollection: { Model: 'MarketplaceFacilitator', ResponsibleParty: 'Amazon Services, Inc.' } }
      : {}),
    ...(o.cancelledMs !== undefined && o.cancelReason === 'BuyerCanceled'
      ? {
          BuyerRequestedCancel: {
            IsBuyerRequestedCancel: 'true',
            BuyerCancelReason: 'Customer changed mind',
          },
        }
      : {}),
  };
}

const m26 = (cents: number, currency: string) => ({ amount: toDecimalString(cents), currencyCode: currency });

const FULFILLMENT_STATUS = {
  Pending: 'PENDING',
  Unshipped: 'UNSHIPPED',
  Shipped: 'SHIPPED',
  Canceled: 'CANCELLED',
} as const;

/** Orders API 2026-01-01 `Order`, with the sections `includedData` asks for. */
export function order2026(o: GenOrder, nowMs: number, included: Set<string>): Record<string, unknown> {
  const cur = o.marketplace.currency;
  const status = statusAt(o, nowMs);
  const sum = (f: (l: OrderLine) => number) => o.lines.reduce((s, l) => s + f(l), 0);
  const addr = shipTo(o);
  const programs = [
    ...(o.isPrime ? ['PRIME'] : []),
    ...(o.isBusiness ? ['AMAZON_BUSINESS'] : []),
    ...(o.fulfillment === 'AFN' ? [] : []),
  ];
  const order: Record<string, unknown> = {
    orderId: o.orderId,
    createdTime: iso(o.createdMs),
    lastUpdatedTime: iso(lastUpdatedAt(o, nowMs)),
    ...(programs.length > 0 ? { programs } : {}),
    salesChannel: {
      channelName: 'AMAZON',
      marketplaceId: o.marketplace.id,
      marketplaceName: o.marketplace.name,
    },
    orderItems: o.lines.map((l) => item2026(o, l, nowMs, included)),
  };
  if (included.has('RECIPIENT')) {
    order.recipient = {
      deliveryAddress: {
        city: addr.city,
        stateOrRegion: addr.state,
        postalCode: addr.postalCode,
        countryCode: addr.countryCode,
        addressType: 'RESIDENTIAL',
      },
    };
  }
  if (included.has('PROCEEDS') && status !== 'Canceled') {
    order.proceeds = {
      grandTotal: m26(orderTotalCents(o), cur),
      breakdowns: [
        {
          type: 'ITEM',
          subtotal: m26(
            sum((l) => l.itemPriceCents),
            cur,
          ),
        },
        {
          type: 'SHIPPING',
          subtotal: m26(
            sum((l) => l.shippingCents),
            cur,
          ),
        },
        {
          type: 'TAX',
          subtotal: m26(
            sum((l) => l.itemTaxCents + l.shippingTaxCents),
            cur,
          ),
        },
        { type: 'DISCOUNT', subtotal: m26(-sum((l) => l.promotionDiscountCents), cur) },
      ],
    };
  }
  if (included.has('FULFILLMENT')) {
    order.fulfillment = {
      fulfillmentStatus: FULFILLMENT_STATUS[status],
      fulfilledBy: o.fulfillment === 'AFN' ? 'AMAZON' : 'MERCHANT',
      fulfillmentServiceLevel: o.fulfillment === 'AFN' ? 'EXPEDITED' : 'STANDARD',
      shipByWindow: { earliestDateTime: iso(o.createdMs), latestDateTime: iso(o.createdMs + 2 * 86_400_000) },
      deliverByWindow: {
        earliestDateTime: iso(o.createdMs + 2 * 86_400_000),
        latestDateTime: iso(o.createdMs + 6 * 86_400_000),
      },
    };
  }
  if (
    included.has('PACKAGES') &&
    status === 'Shipped' &&
    o.fulfillment === 'MFN' &&
    o.shippedMs !== undefined
  ) {
    order.packages = [
      {
        packageReferenceId: '1',
        createdTime: iso(o.shippedMs),
        packageStatus: { status: nowMs > o.shippedMs + 3 * 86_400_000 ? 'DELIVERED' : 'IN_TRANSIT' },
        carrier: 'USPS',
        shipTime: iso(o.shippedMs),
        shippingService: 'USPS Ground Advantage',
        trackingNumber: `9400${o.orderId.replace(/-/g, '').slice(0, 16)}`,
        packageItems: o.lines.map((l) => ({ orderItemId: l.orderItemId, quantity: l.quantity })),
      },
    ];
  }
  return order;
}

function item2026(o: GenOrder, l: OrderLine, nowMs: number, included: Set<string>): Record<string, unknown> {
  const cur = o.marketplace.currency;
  const status = statusAt(o, nowMs);
  const item: Record<string, unknown> = {
    orderItemId: l.orderItemId,
    quantityOrdered: l.quantity,
    product: {
      asin: l.product.asin,
      title: l.product.title,
      sellerSku: l.product.sku,
      condition: { conditionType: 'New', conditionSubtype: 'New' },
      price: { unitPrice: m26(l.unitPriceCents, cur) },
    },
  };
  if (included.has('PROCEEDS')) {
    item.proceeds = {
      proceedsTotal: m26(
        l.itemPriceCents + l.shippingCents + l.itemTaxCents + l.shippingTaxCents - l.promotionDiscountCents,
        cur,
      ),
      breakdowns: [
        { type: 'ITEM', subtotal: m26(l.itemPriceCents, cur) },
        { type: 'SHIPPING', subtotal: m26(l.shippingCents, cur) },
        {
          type: 'TAX',
          subtotal: m26(l.itemTaxCents + l.shippingTaxCents, cur),
          detailedBreakdowns: [
            { subtype: 'ITEM', value: m26(l.itemTaxCents, cur) },
            { subtype: 'SHIPPING', value: m26(l.shippingTaxCents, cur) },
          ],
        },
        { type: 'DISCOUNT', subtotal: m26(-l.promotionDiscountCents, cur) },
      ],
    };
  }
  if (included.has('PROMOTION') && l.promotionId)
    item.promotion = { breakdowns: [{ promotionId: l.promotionId }] };
  if (included.has('CANCELLATION') && status === 'Canceled') {
    item.cancellation = {
      cancellationExecution: {
        cancelledBy: o.cancelReason === 'BuyerCanceled' ? 'BUYER' : 'SELLER',
        cancelReason: o.cancelReason,
      },
    };
  }
  if (included.has('FULFILLMENT')) {
    item.fulfillment = {
      quantityFulfilled: status === 'Shipped' ? l.quantity : 0,
      quantityUnfulfilled: status === 'Shipped' || status === 'Canceled' ? 0 : l.quantity,
    };
  }
  if (included.has('TAX') && o.marketplace.countryCode === 'US') {
    item.tax = {
      taxCollections: [{ model: 'MARKETPLACE_FACILITATOR', responsibleParty: 'AMAZON_SERVICES' }],
    };
  }
  return item;
}
