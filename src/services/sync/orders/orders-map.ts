import type { ReportFormat } from '../../../amazon/reports';
import type { Breakdown2026, Order2026, OrderItem2026 } from '../../../amazon/sp-types';
import type { NewOrder, NewOrderItem } from '../../../db/schema';
import { keyedHash } from '../../../lib/crypto';
import { decimal, fromUnits, toUnits } from '../../../lib/money';

type OrderStatus = NewOrder['orderStatus'];

const API_STATUS: Record<string, OrderStatus> = {
  PENDING: 'Pending',
  UNSHIPPED: 'Unshipped',
  PARTIALLY_SHIPPED: 'PartiallyShipped',
  SHIPPED: 'Shipped',
  CANCELLED: 'Canceled',
  UNFULFILLABLE: 'Unfulfillable',
};

/** Flat-file order statuses (Amazon spells Cancelled with two l's there). */
const REPORT_STATUS: Record<string, OrderStatus> = {
  Pending: 'Pending',
  Unshipped: 'Unshipped',
  Shipping: 'PartiallyShipped',
  PartiallyShipped: 'PartiallyShipped',
  Shipped: 'Shipped',
  Cancelled: 'Canceled',
  Canceled: 'Canceled',
  Unfulfillable: 'Unfulfillable',
};

/** The all-orders flat file, and the columns an order cannot be read without. */
export const ORDERS_REPORT: ReportFormat = {
  name: 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL',
  columns: [
    'amazon-order-id',
    'purchase-date',
    'last-updated-date',
    'order-status',
    'sales-channel',
    'sku',
    'asin',
    'quantity',
    'currency',
    'item-price',
  ],
};

/** Report lines carry no order item id: a line is keyed by its SKU until the API supplies the real id. */
export const SYNTHETIC_ITEM_PREFIX = 'sku:';

export interface MappedOrder {
  order: NewOrder & { purchaseDate: Date };
  items: NewOrderItem[];
}

/** The TAX breakdown of Orders 2026 may split item and shipping tax (not in our SP-API types). */
type TaxBreakdown = Breakdown2026 & { detailedBreakdowns?: { subtype: string; value: { amount: string } }[] };
const itemTaxOf = (tax: TaxBreakdown | undefined) =>
  tax?.detailedBreakdowns?.find((d) => d.subtype === 'ITEM')?.value.amount;

const money = (units: bigint) => fromUnits(units, 2);
const abs = (v: bigint) => (v < 0n ? -v : v);

const hashes = new Map<string, Promise<string>>();

/**
 * Only a keyed hash of the city is kept; state and country stay as codes. Cities repeat a lot, so
 * hashes are memoised per isolate (bounded) instead of signing once per order.
 */
export function cityHash(city: string | undefined, keys: string, tenantId: string): Promise<string | null> {
  const normal = city?.trim().toUpperCase();
  if (!normal) return Promise.resolve(null);
  const id = `${tenantId}\u0000${normal}\u0000${keys.length}`;
  let hash = hashes.get(id);
  if (!hash) {
    if (hashes.size > 50_000) hashes.clear();
    hash = keyedHash(normal, keys, `city:${tenantId}`);
    hashes.set(id, hash);
  }
  return hash;
}

/** One line of an Orders 2026 order; amounts from the item's proceeds, else the unit price. */
function mapApiItem(
  item: OrderItem2026,
  orderId: string,
  tenantId: string,
  currency: string | null,
): NewOrderItem {
  const b = (type: string) => item.proceeds?.breakdowns?.find((x) => x.type === type);
  const itemTax = itemTaxOf(b('TAX'));
  const unit = item.product.price?.unitPrice?.amount;
  return {
    tenantId,
    amazonOrderId: orderId,
    orderItemId: item.orderItemId,
    asin: item.product.asin,
    sku: item.product.sellerSku ?? null,
    title: item.product.title ?? null,
    quantity: item.quantityOrdered,
    itemPrice: b('ITEM')
      ? decimal(b('ITEM')!.subtotal.amount)
      : unit
        ? money(toUnits(unit) * BigInt(item.quantityOrdered))
        : null,
    itemTax: itemTax !== undefined ? decimal(itemTax) : b('TAX') ? decimal(b('TAX')!.subtotal.amount) : null,
    shippingPrice: b('SHIPPING') ? decimal(b('SHIPPING')!.subtotal.amount) : null,
    promotionDiscount: b('DISCOUNT') ? money(abs(toUnits(b('DISCOUNT')!.subtotal.amount))) : null,
    currency: item.product.price?.unitPrice?.currencyCode ?? currency,
  };
}

export async function mapApiOrder(o: Order2026, tenantId: string, keys: string): Promise<MappedOrder> {
  const breakdown = (type: string) =>
    toUnits(o.proceeds?.breakdowns?.find((b) => b.type === type)?.subtotal.amount);
  const status = API_STATUS[o.fulfillment?.fulfillmentStatus ?? ''] ?? 'Pending';
  const address = o.recipient?.deliveryAddress;
  const currency =
    o.proceeds?.grandTotal?.currencyCode ?? o.orderItems?.[0]?.product.price?.unitPrice?.currencyCode ?? null;
  const pkg = o.packages?.find((p) => p.trackingNumber);
  const items = (o.orderItems ?? []).map((item) => mapApiItem(item, o.orderId, tenantId, currency));
  return {
    order: {
      tenantId,
      amazonOrderId: o.orderId,
      marketplaceId: o.salesChannel.marketplaceId,
      purchaseDate: new Date(o.createdTime),
      lastUpdateDate: new Date(o.lastUpdatedTime),
      orderStatus: status,
      fulfillmentChannel:
        o.fulfillment?.fulfilledBy === 'AMAZON'
          ? 'AFN'
          : o.fulfillment?.fulfilledBy === 'MERCHANT'
            ? 'MFN'
            : null,
      salesChannel: o.salesChannel.marketplaceName ?? o.salesChannel.channelName ?? null,
      orderTotal: o.proceeds?.grandTotal ? decimal(o.proceeds.grandTotal.amount) : null,
      currency,
      numberOfItems: (o.orderItems ?? []).reduce((s, i) => s + i.quantityOrdered, 0),
      isBusinessOrder: o.programs?.includes('AMAZON_BUSINESS') ?? false,
      isPrime: o.programs?.includes('PRIME') ?? false,
      shipCityHash: await cityHash(address?.city, keys, tenantId),
      shipStateCode: address?.stateOrRegion ?? null,
      shipCountryCode: address?.countryCode ?? null,
      trackingNumber: pkg?.trackingNumber ?? null,
      carrier: pkg?.carrier ?? null,
      estimatedDelivery: o.fulfillment?.deliverByWindow?.latestDateTime
        ? new Date(o.fulfillment.deliverByWindow.latestDateTime)
        : null,
      promotionDiscount: o.proceeds ? money(abs(breakdown('DISCOUNT'))) : null,
      tax: o.proceeds ? money(breakdown('TAX')) : null,
    },
    items,
  };
}

/** A flat-file line's amounts in units (lib/money); discounts as positive magnitudes. */
function reportLine(l: Record<string, string>) {
  const itemDiscount = abs(toUnits(l['item-promotion-discount']));
  return {
    quantity: Number.parseInt(l.quantity ?? '0', 10) || 0,
    price: toUnits(l['item-price']),
    itemTax: toUnits(l['item-tax']),
    ship: toUnits(l['shipping-price']),
    shipTax: toUnits(l['shipping-tax']),
    itemDiscount,
    discount: itemDiscount + abs(toUnits(l['ship-promotion-discount'])),
  };
}

/** One order from its flat-file lines (GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL). */
export async function mapReportOrder(
  lines: Record<string, string>[],
  tenantId: string,
  keys: string,
): Promise<MappedOrder> {
  const first = lines[0]!;
  const status = REPORT_STATUS[first['order-status'] ?? ''] ?? 'Pending';
  const orderId = first['amazon-order-id']!;
  const totals = { total: 0n, tax: 0n, promo: 0n, units: 0 };
  const bySku = new Map<string, NewOrderItem>();
  for (const l of lines) {
    const line = reportLine(l);
    totals.total += line.price + line.itemTax + line.ship + line.shipTax - line.discount;
    totals.tax += line.itemTax + line.shipTax;
    totals.promo += line.discount;
    totals.units += line.quantity;
    const sku = l.sku ?? '';
    bySku.set(sku, {
      tenantId,
      amazonOrderId: orderId,
      orderItemId: `${SYNTHETIC_ITEM_PREFIX}${sku}`,
      asin: l.asin ?? '',
      sku: sku || null,
      title: l['product-name'] || null,
      quantity: line.quantity,
      itemPrice: money(line.price),
      itemTax: money(line.itemTax),
      shippingPrice: money(line.ship),
      promotionDiscount: money(line.itemDiscount),
      currency: l.currency || null,
    });
  }
  const channel = first['fulfillment-channel'];
  return {
    order: {
      tenantId,
      amazonOrderId: orderId,
      marketplaceId: marketplaceFromChannel(first['sales-channel']),
      purchaseDate: new Date(first['purchase-date']!),
      lastUpdateDate: new Date(first['last-updated-date'] || first['purchase-date']!),
      orderStatus: status,
      fulfillmentChannel: channel === 'Amazon' || channel === 'AFN' ? 'AFN' : channel ? 'MFN' : null,
      salesChannel: first['sales-channel'] || null,
      orderTotal: status === 'Canceled' ? null : money(totals.total),
      currency: first.currency || null,
      numberOfItems: totals.units,
      isBusinessOrder: first['is-business-order'] === 'true',
      isPrime: first['is-prime'] === 'true',
      shipCityHash: await cityHash(first['ship-city'], keys, tenantId),
      shipStateCode: first['ship-state'] || null,
      shipCountryCode: first['ship-country'] || null,
      trackingNumber: null,
      carrier: null,
      estimatedDelivery: null,
      promotionDiscount: status === 'Canceled' ? null : money(totals.promo),
      tax: status === 'Canceled' ? null : money(totals.tax),
    },
    items: [...bySku.values()],
  };
}

const SALES_CHANNELS: Record<string, string> = {
  'Amazon.com': 'ATVPDKIKX0DER',
  'Amazon.ca': 'A2EUQ1WTGCTBG2',
  'Amazon.com.mx': 'A1AM78C64UM0Y8',
  'Amazon.com.br': 'A2Q3Y263D00KWC',
  'Amazon.co.uk': 'A1F83G8C2ARO7P',
  'Amazon.de': 'A1PA6795UKMFR9',
  'Amazon.fr': 'A13V1IB3VIYZZH',
  'Amazon.it': 'APJ6JRA9NG5V4',
  'Amazon.es': 'A1RKKUPIHCS9HS',
  'Amazon.nl': 'A1805IZSGTT6HS',
  'Amazon.se': 'A2NODRKZP88ZB9',
  'Amazon.pl': 'A1C3SOZRARQ6R3',
  'Amazon.com.be': 'AMEN7PMS3EDWL',
  'Amazon.com.tr': 'A33AVAJ2PDY3EV',
  'Amazon.ae': 'A2VIGQ35RCS4UG',
  'Amazon.sa': 'A17E79C6D8DWNP',
  'Amazon.eg': 'ARBP9OOSHTCHU',
  'Amazon.in': 'A21TJRUUN4KGV',
  'Amazon.co.jp': 'A1VC38T7YXB528',
  'Amazon.com.au': 'A39IBJ37TRP1C6',
  'Amazon.sg': 'A19VAU5U5O7RUS',
};

/** The flat file names the store (`Amazon.com`), not the MarketplaceId. */
export function marketplaceFromChannel(channel: string | undefined): string {
  return SALES_CHANNELS[channel ?? ''] ?? channel ?? 'unknown';
}
