import { shipTo } from '../data/addresses';
import { type Cursor, type OrderQuery, scanOrders } from '../data/order-query';
import { type GenOrder, lastUpdatedAt, statusAt } from '../data/orders';
import type { Seller } from '../data/seller';
import { flatTime, price, tsvHeader, tsvRows } from './flat-file';

const HEADER = [
  'amazon-order-id',
  'merchant-order-id',
  'purchase-date',
  'last-updated-date',
  'order-status',
  'fulfillment-channel',
  'sales-channel',
  'order-channel',
  'url',
  'ship-service-level',
  'product-name',
  'sku',
  'asin',
  'item-status',
  'quantity',
  'currency',
  'item-price',
  'item-tax',
  'shipping-price',
  'shipping-tax',
  'gift-wrap-price',
  'gift-wrap-tax',
  'item-promotion-discount',
  'ship-promotion-discount',
  'ship-city',
  'ship-state',
  'ship-postal-code',
  'ship-country',
  'promotion-ids',
  'is-business-order',
  'purchase-order-number',
  'price-designation',
  'signature-confirmation-recommended',
] as const;

const ORDER_STATUS = {
  Pending: 'Pending',
  Unshipped: 'Pending',
  Shipped: 'Shipped',
  Canceled: 'Cancelled',
} as const;
const ITEM_STATUS = {
  Pending: 'Unshipped',
  Unshipped: 'Unshipped',
  Shipped: 'Shipped',
  Canceled: 'Cancelled',
} as const;

/**
 * GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL / _BY_ORDER_DATE_GENERAL: one row per order item,
 * produced in chunks so a year of a large seller streams instead of filling memory.
 */
export function* ordersFlatFile(
  seller: Seller,
  by: 'created' | 'lastUpdated',
  fromMs: number,
  toMs: number,
  marketplaceIds: string[],
  asOfMs: number,
): Generator<string> {
  const q: OrderQuery = { by, fromMs, toMs, marketplaceIds, nowMs: asOfMs };
  yield tsvHeader(HEADER);
  let cursor: Cursor | undefined;
  do {
    const page = scanOrders(seller, q, 500, cursor);
    cursor = page.next;
    yield tsvRows(page.orders.flatMap((o) => orderRows(o, asOfMs)));
  } while (cursor);
}

function orderRows(o: GenOrder, asOfMs: number): (string | number)[][] {
  const rows: (string | number)[][] = [];
  const status = statusAt(o, asOfMs);
  const addr = shipTo(o);
  for (const l of o.lines) {
    rows.push([
      o.orderId,
      '',
      flatTime(o.createdMs),
      flatTime(lastUpdatedAt(o, asOfMs)),
      ORDER_STATUS[status],
      o.fulfillment === 'AFN' ? 'Amazon' : 'Merchant',
      o.marketplace.salesChannel,
      '',
      '',
      o.shipServiceLevel,
      l.product.title,
      l.product.sku,
      l.product.asin,
      ITEM_STATUS[status],
      l.quantity,
      o.marketplace.currency,
      price(l.itemPriceCents),
      price(l.itemTaxCents),
      price(l.shippingCents),
      price(l.shippingTaxCents),
      '',
      '',
      price(-l.promotionDiscountCents),
      '0.00',
      addr.city,
      addr.state,
      addr.postalCode,
      addr.countryCode,
      l.promotionId ?? '',
      o.isBusiness ? 'true' : 'false',
      '',
      '',
      'false',
    ]);
  }
  return rows;
}
