import { describe, expect, it } from 'vitest';
import { fromUnits, toUnits } from '../../src/lib/money';
import { parseNotification, targetOf } from '../../src/services/notifications/parse';
import {
  mapApiOrder,
  mapReportOrder,
  SYNTHETIC_ITEM_PREFIX,
} from '../../src/services/sync/orders/orders-map';
import { appEnv } from './sync-helpers';

const KEYS = appEnv.TOKEN_ENCRYPTION_KEYS;
const sum = (...values: string[]) => values.reduce((s, v) => s + toUnits(v), 0n);

describe('orders mapping', () => {
  it('an order from its flat-file lines: totals from every line, lines keyed by SKU', async () => {
    const line = (
      sku: string,
      price: string,
      tax: string,
      ship: string,
      shipTax: string,
      discount: string,
    ) => ({
      'amazon-order-id': '111-0000001-0000001',
      'purchase-date': '2026-03-01T12:00:00+00:00',
      'order-status': 'Shipped',
      'sales-channel': 'Amazon.com',
      'fulfillment-channel': 'Amazon',
      currency: 'USD',
      'ship-city': 'Portland',
      'ship-state': 'OR',
      'ship-country': 'US',
      sku,
      asin: `B0${sku}`,
      quantity: '2',
      'item-price': price,
      'item-tax': tax,
      'shipping-price': ship,
      'shipping-tax': shipTax,
      'item-promotion-discount': discount,
      'ship-promotion-discount': '0',
    });
    const lines = [
      line('A', '40.00', '3.20', '0', '0', '-4.00'),
      line('B', '15.50', '1.24', '4.99', '0.40', '0'),
    ];
    const m = await mapReportOrder(lines, 'tenant-1', KEYS);
    const total = sum('40.00', '3.20', '15.50', '1.24', '4.99', '0.40') - sum('4.00');
    expect(m.order).toMatchObject({
      amazonOrderId: '111-0000001-0000001',
      marketplaceId: 'ATVPDKIKX0DER',
      orderStatus: 'Shipped',
      fulfillmentChannel: 'AFN',
      orderTotal: fromUnits(total),
      tax: fromUnits(sum('3.20', '1.24', '0.40')),
      promotionDiscount: '4.00',
      numberOfItems: 4,
      shipStateCode: 'OR',
    });
    expect(m.order.shipCityHash).toMatch(/^[0-9a-f]{64}$/);
    expect(m.items.map((i) => [i.orderItemId, i.itemPrice, i.promotionDiscount])).toEqual([
      [`${SYNTHETIC_ITEM_PREFIX}A`, '40.00', '4.00'],
      [`${SYNTHETIC_ITEM_PREFIX}B`, '15.50', '0.00'],
    ]);
  });

  it('an Orders 2026 order: line amounts from proceeds, else unit price × quantity', async () => {
    const usd = (amount: string) => ({ amount, currencyCode: 'USD' });
    const m = await mapApiOrder(
      {
        orderId: '111-0000002-0000002',
        createdTime: '2026-03-01T12:00:00Z',
        lastUpdatedTime: '2026-03-01T13:00:00Z',
        salesChannel: { marketplaceId: 'ATVPDKIKX0DER', marketplaceName: 'Amazon.com' },
        fulfillment: { fulfillmentStatus: 'SHIPPED', fulfilledBy: 'MERCHANT' },
        proceeds: { grandTotal: usd('30.00'), breakdowns: [{ type: 'TAX', subtotal: usd('2.00') }] },
        orderItems: [
          {
            orderItemId: 'I-1',
            quantityOrdered: 1,
            product: { asin: 'B0ONE', price: { unitPrice: usd('20.00') } },
            proceeds: {
              breakdowns: [
                { type: 'ITEM', subtotal: usd('20.00') },
                { type: 'DISCOUNT', subtotal: usd('-1.50') },
              ],
            },
          },
          {
            orderItemId: 'I-2',
            quantityOrdered: 3,
            product: { asin: 'B0TWO', price: { unitPrice: usd('3.33') } },
          },
        ],
      },
      'tenant-1',
      KEYS,
    );
    expect(m.order).toMatchObject({
      orderStatus: 'Shipped',
      fulfillmentChannel: 'MFN',
      orderTotal: '30.00',
      tax: '2.00',
    });
    expect(m.order.purchaseDate).toEqual(new Date('2026-03-01T12:00:00Z'));
    expect(m.items.map((i) => [i.orderItemId, i.itemPrice, i.promotionDiscount])).toEqual([
      ['I-1', '20.00', '1.50'],
      ['I-2', fromUnits(toUnits('3.33') * 3n), null],
    ]);
  });
});

describe('notification parsing', () => {
  const meta = { ApplicationId: 'app', SubscriptionId: 'sub', NotificationId: 'n-1' };

  it('reads the EventBridge envelope and the camelCase 2020-09-04 form alike', () => {
    const pascal = {
      NotificationType: 'ORDER_CHANGE',
      Payload: { OrderChangeNotification: { AmazonOrderId: '111-0000001-0000001', SellerId: 'ASELLER' } },
      NotificationMetadata: meta,
    };
    const camel = {
      notificationType: pascal.NotificationType,
      payload: pascal.Payload,
      notificationMetadata: { applicationId: 'app', subscriptionId: 'sub', notificationId: 'n-1' },
    };
    const expected = {
      type: 'orders',
      target: { amazonOrderId: '111-0000001-0000001' },
      sellerId: 'ASELLER',
    };
    expect(targetOf(parseNotification({ detail: pascal }))).toEqual(expected);
    expect(targetOf(parseNotification(camel))).toEqual(expected);
    expect(() => parseNotification({ detail: { NotificationType: 'ORDER_CHANGE' } })).toThrow(
      /Invalid Amazon notification/,
    );
  });

  it('targets one ASIN or SKU; a malformed id or seller is ignored, never trusted', () => {
    const n = (NotificationType: string, Payload: Record<string, unknown>) =>
      parseNotification({ NotificationType, Payload, NotificationMetadata: meta });
    expect(
      targetOf(
        n('ANY_OFFER_CHANGED', {
          AnyOfferChangedNotification: {
            SellerId: 42,
            OfferChangeTrigger: { ASIN: 'B0XXXXXXXX', MarketplaceId: 'ATVPDKIKX0DER' },
          },
        }),
      ),
    ).toEqual({ type: 'pricing', target: { asin: 'B0XXXXXXXX', marketplaceId: 'ATVPDKIKX0DER' } });
    // An ASIN or marketplace id that is not one is never sent on to Amazon.
    for (const trigger of [
      { ASIN: 'B0X', MarketplaceId: 'ATVPDKIKX0DER' },
      { ASIN: 'b0xxxxxxxx', MarketplaceId: 'ATVPDKIKX0DER' },
      { ASIN: 'B0XXXXXXXX', MarketplaceId: '../orders' },
    ]) {
      expect(
        targetOf(n('ANY_OFFER_CHANGED', { AnyOfferChangedNotification: { OfferChangeTrigger: trigger } })),
      ).toBeNull();
    }
    expect(
      targetOf(
        n('FBA_INVENTORY_AVAILABILITY_CHANGES', {
          SKU: 'SKU-1',
          FulfillmentInventoryByMarketplace: [{ MarketplaceId: 'A2EUQ1WTGCTBG2' }],
        }),
      ),
    ).toEqual({ type: 'inventory', target: { sku: 'SKU-1', marketplaceId: 'A2EUQ1WTGCTBG2' } });
    expect(
      targetOf(
        n('FBA_INVENTORY_AVAILABILITY_CHANGES', {
          SKU: 'SKU-1',
          FulfillmentInventoryByMarketplace: [{ MarketplaceId: 'M1' }],
        }),
      ),
    ).toEqual({ type: 'inventory', target: { sku: 'SKU-1' } });
    expect(targetOf(n('ORDER_CHANGE', { OrderChangeNotification: { AmazonOrderId: 'bad id!' } }))).toBeNull();
    expect(targetOf(n('REPORT_PROCESSING_FINISHED', {}))).toBeNull();
  });
});
