import { type Order, orders } from '../../db/schema';
import { toIso } from '../../lib/dates';
import { money } from '../../lib/money';

/** The columns every order response maps (see `toOrder`): a Drizzle selection. */
export const orderFields = {
  amazonOrderId: orders.amazonOrderId,
  marketplaceId: orders.marketplaceId,
  purchaseDate: orders.purchaseDate,
  lastUpdateDate: orders.lastUpdateDate,
  orderStatus: orders.orderStatus,
  fulfillmentChannel: orders.fulfillmentChannel,
  salesChannel: orders.salesChannel,
  orderTotal: orders.orderTotal,
  currency: orders.currency,
  numberOfItems: orders.numberOfItems,
  isBusinessOrder: orders.isBusinessOrder,
  isPrime: orders.isPrime,
  shipCountryCode: orders.shipCountryCode,
  shipStateCode: orders.shipStateCode,
};

export type OrderViewRow = Pick<Order, keyof typeof orderFields>;

/** The order's own currency (char(3), so trimmed), or null when the order has none. */
export const orderCurrency = (r: Pick<Order, 'currency'>) => r.currency?.trim() ?? null;

/** One order in the shape the list and the detail return. */
export function toOrder(r: OrderViewRow, fallbackCurrency: string) {
  const currency = orderCurrency(r) ?? fallbackCurrency;
  return {
    amazonOrderId: r.amazonOrderId,
    marketplaceId: r.marketplaceId,
    purchaseDate: toIso(r.purchaseDate),
    lastUpdateDate: toIso(r.lastUpdateDate),
    status: r.orderStatus,
    fulfillmentChannel: r.fulfillmentChannel,
    salesChannel: r.salesChannel,
    currency,
    orderTotal: r.orderTotal === null ? null : money(r.orderTotal, currency),
    numberOfItems: r.numberOfItems,
    isBusinessOrder: r.isBusinessOrder,
    isPrime: r.isPrime,
    shipCountryCode: r.shipCountryCode,
    shipStateCode: r.shipStateCode,
  };
}
