import { describe, expect, it } from 'vitest';
import {
  emptyStock,
  productFromStock,
  snapshotFromStock,
  stockAlerts,
  stockFromListing,
  stockFromSummary,
} from '../../src/services/sync/inventory/inventory-map';

const US = 'ATVPDKIKX0DER';

describe('inventory mapping', () => {
  it('a merchant-fulfilled listing adds its quantity; an FBA listing only its details', () => {
    const fbm = stockFromListing(
      {
        asin1: 'B0FBM',
        'seller-sku': 'SKU-M',
        'item-name': 'Mug',
        price: '12.5',
        'fulfillment-channel': 'DEFAULT',
        quantity: '7',
        status: 'Active',
      },
      US,
      'USD',
    );
    expect(fbm).toEqual({
      ...emptyStock('B0FBM', US, null),
      sku: 'SKU-M',
      title: 'Mug',
      price: '12.50',
      currency: 'USD',
      channel: 'FBM',
      listingStatus: 'Active',
      fbm: 7,
      total: 7,
    });
    const fba = stockFromListing(
      { 'product-id': 'B0FBA', 'seller-sku': 'SKU-A', 'fulfillment-channel': 'AMAZON_NA', quantity: '' },
      US,
      'USD',
    );
    expect(fba).toMatchObject({ asin: 'B0FBA', channel: 'FBA', fbm: 0, total: 0, price: null });
    expect(stockFromListing({ 'seller-sku': 'NOASIN' }, US, 'USD')).toBeNull();
  });

  it('an FBA summary sets the FBA quantities and keeps the FBM units already read', () => {
    const details = {
      fulfillableQuantity: 10,
      inboundWorkingQuantity: 1,
      inboundShippedQuantity: 2,
      inboundReceivingQuantity: 3,
      reservedQuantity: { totalReservedQuantity: 4 },
      unfulfillableQuantity: { totalUnfulfillableQuantity: 5 },
    };
    const known = { ...emptyStock('B0MIX', US, 'SKU-X'), fbm: 6, total: 6, title: 'Known' };
    const row = stockFromSummary(
      { asin: 'B0MIX', sellerSku: 'SKU-X', productName: 'Other', inventoryDetails: details },
      US,
      known,
    );
    const inbound =
      details.inboundWorkingQuantity + details.inboundShippedQuantity + details.inboundReceivingQuantity;
    expect(row).toMatchObject({
      title: 'Known',
      channel: 'FBA',
      fulfillable: details.fulfillableQuantity,
      inbound,
      reserved: 4,
      unfulfillable: 5,
      total: details.fulfillableQuantity + inbound + 4 + 5 + known.fbm,
    });
    expect(stockFromSummary({ asin: 'B0MIX', totalQuantity: 30, inventoryDetails: details }, US)?.total).toBe(
      30,
    );
    expect(stockFromSummary({ sellerSku: 'NOASIN' }, US)).toBeNull();
    const now = new Date('2026-03-02T10:00:00Z');
    expect(productFromStock(row!, 'tenant-1', now)).toMatchObject({
      fbaStock: 10,
      fbmStock: 6,
      totalStock: 16,
      isActive: true,
      lastSyncAt: now,
    });
    expect(snapshotFromStock(row!, 'tenant-1', '2026-03-02')).toMatchObject({
      fulfillable: 16,
      total: row!.total,
    });
  });

  it('alerts below the minimum (out of stock at zero) and resolves at or above it', () => {
    const level = (asin: string, totalStock: number) => ({
      asin,
      marketplaceId: US,
      title: null,
      totalStock,
      minStockAlert: 5,
    });
    const { raise, resolve } = stockAlerts([level('LOW', 2), level('OUT', 0), level('OK', 5)]);
    expect(raise.map((a) => [a.asin, a.type, a.severity, a.dedupeKey])).toEqual([
      ['LOW', 'STOCK_LOW', 'high', `STOCK_LOW:LOW:${US}`],
      ['OUT', 'STOCK_OUT', 'critical', `STOCK_LOW:OUT:${US}`],
    ]);
    expect(raise[0]!.message).toBe('Only 2 units remaining (alert below 5)');
    expect(resolve).toEqual([`STOCK_LOW:OK:${US}`]);
  });
});
