import { describe, expect, it } from 'vitest';
import type { FinancialEvents } from '../../src/amazon/sp-types';
import { decimal, toUnits } from '../../src/lib/money';
import {
  flattenEvents,
  flattenServiceFees,
  type ItemFees,
  mergeItemFees,
  settlementFromSummary,
} from '../../src/services/sync/finance/finance-map';

const usd = (amount: number) => ({ CurrencyCode: 'USD', CurrencyAmount: amount });
const POSTED = '2026-03-02T10:00:00Z';

/** Line 1's settled fees, by Amazon fee type. */
const FEES = {
  Commission: -3.0,
  VariableClosingFee: -1.8,
  FBAPerUnitFulfillmentFee: -3.22,
  FBAWeightBasedFee: -0.5,
  FBAInboundConvenienceFee: -0.1,
};

const EVENTS: FinancialEvents = {
  ShipmentEventList: [
    {
      AmazonOrderId: '111-0000001-0000001',
      MarketplaceName: 'Amazon.com',
      PostedDate: POSTED,
      ShipmentItemList: [
        {
          SellerSKU: 'SKU-1',
          OrderItemId: 'ITEM-1',
          ItemChargeList: [
            { ChargeType: 'Principal', ChargeAmount: usd(20) },
            { ChargeType: 'Tax', ChargeAmount: usd(1.6) },
            { ChargeType: 'ShippingCharge', ChargeAmount: usd(4.99) },
          ],
          ItemFeeList: Object.entries(FEES).map(([FeeType, amount]) => ({ FeeType, FeeAmount: usd(amount) })),
          PromotionList: [
            {
              PromotionType: 'PromotionMetaDataDefinitionValue',
              PromotionId: 'PLM-1',
              PromotionAmount: usd(-2),
            },
          ],
          ItemTaxWithheldList: [
            {
              TaxesWithheld: [{ ChargeType: 'MarketplaceFacilitatorTax-Principal', ChargeAmount: usd(-1.6) }],
            },
          ],
        },
        {
          SellerSKU: 'SKU-2',
          OrderItemId: 'ITEM-2',
          // The same charge type twice on one line: the second gets its own event id.
          ItemChargeList: [
            { ChargeType: 'GiftWrap', ChargeAmount: usd(1) },
            { ChargeType: 'GiftWrap', ChargeAmount: usd(1) },
          ],
        },
      ],
    },
  ],
  RefundEventList: [
    {
      AmazonOrderId: '111-0000001-0000001',
      MarketplaceName: 'Amazon.com',
      PostedDate: '2026-03-10T10:00:00Z',
      ShipmentItemAdjustmentList: [
        {
          SellerSKU: 'SKU-1',
          OrderItemId: 'ITEM-1',
          OrderAdjustmentItemId: 'ADJ-1',
          ItemChargeAdjustmentList: [{ ChargeType: 'Principal', ChargeAmount: usd(-20) }],
          ItemFeeAdjustmentList: [{ FeeType: 'Commission', FeeAmount: usd(3) }],
        },
      ],
    },
  ],
  ProductAdsPaymentEventList: [
    { postedDate: POSTED, transactionType: 'Charge', invoiceId: 'INV-1', transactionValue: usd(-55.5) },
  ],
  AdjustmentEventList: [{ AdjustmentType: 'ReserveDebit', PostedDate: POSTED, AdjustmentAmount: usd(-10) }],
};

/** Every amount of the fixture, in the order Amazon lists them. */
const ALL_AMOUNTS = [20, 1.6, 4.99, ...Object.values(FEES), -2, -1.6, 1, 1, -20, 3, -55.5, -10];

describe('flattenEvents', () => {
  const { rows, itemFees } = flattenEvents('tenant-1', EVENTS);

  it('writes one signed row per charge, fee, promotion and withheld tax, adding up to the events', () => {
    expect(rows).toHaveLength(ALL_AMOUNTS.length);
    const total = rows.reduce((s, r) => s + toUnits(r.amount), 0n);
    expect(total).toBe(ALL_AMOUNTS.reduce((s, a) => s + toUnits(a), 0n));
    expect(rows.every((r) => r.tenantId === 'tenant-1' && r.source === 'events_v0')).toBe(true);
    expect(rows.find((r) => r.feeType === 'VariableClosingFee')?.amount).toBe(
      decimal(FEES.VariableClosingFee, 4),
    );
  });

  it('puts each component in its P&L category', () => {
    const categoryOf = (eventType: string, feeType: string) =>
      rows.find((r) => r.eventType === eventType && r.feeType === feeType)?.category;
    expect(categoryOf('Shipment', 'Principal')).toBe('revenue');
    expect(categoryOf('Shipment', 'Tax')).toBe('tax');
    expect(categoryOf('Shipment', 'ShippingCharge')).toBe('shipping');
    expect(categoryOf('Shipment', 'Commission')).toBe('fee');
    expect(categoryOf('Shipment', 'PromotionMetaDataDefinitionValue')).toBe('promotion');
    expect(categoryOf('Shipment', 'MarketplaceFacilitatorTax-Principal')).toBe('tax');
    expect(categoryOf('Refund', 'Principal')).toBe('refund');
    expect(categoryOf('ProductAdsPayment', 'Charge')).toBe('advertising');
    expect(categoryOf('Adjustment', 'ReserveDebit')).toBe('other');
  });

  it('gives every row a stable id built from Amazon identifiers, numbering repeats', () => {
    const ids = rows.map((r) => r.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(flattenEvents('tenant-1', EVENTS).rows.map((r) => r.eventId)).toEqual(ids);
    const gift = rows.filter((r) => r.feeType === 'GiftWrap').map((r) => r.eventId);
    expect(gift[1]).toBe(`${gift[0]}#1`);
    expect(gift[0]).toContain('111-0000001-0000001');
    expect(rows.find((r) => r.eventType === 'Refund')?.eventId).toContain('ADJ-1');
  });

  it('returns the settled fees of shipped lines with the P&L fee lines (closing fees are referral)', () => {
    const cost = (...types: (keyof typeof FEES)[]) => types.reduce((s, t) => s - toUnits(FEES[t]), 0n);
    expect(itemFees).toEqual([
      {
        orderId: '111-0000001-0000001',
        itemId: 'ITEM-1',
        sku: 'SKU-1',
        referral: cost('Commission', 'VariableClosingFee'),
        fba: cost('FBAPerUnitFulfillmentFee', 'FBAWeightBasedFee'),
        other: cost('FBAInboundConvenienceFee'),
      },
    ]);
  });

  it('adds the same line settled on two pages', () => {
    const into = new Map<string, ItemFees>();
    mergeItemFees(into, itemFees);
    mergeItemFees(into, itemFees);
    const [line] = [...into.values()];
    expect(line!.referral).toBe(itemFees[0]!.referral * 2n);
    expect(line!.other).toBe(itemFees[0]!.other * 2n);
    expect(itemFees[0]!.referral).toBe(-(toUnits(FEES.Commission) + toUnits(FEES.VariableClosingFee)));
  });
});

describe('flattenServiceFees', () => {
  it('keeps only service fees and writes one row per leaf breakdown', () => {
    const rows = flattenServiceFees('tenant-1', [
      {
        transactionId: 'TX-1',
        transactionType: 'ServiceFee',
        postedDate: POSTED,
        description: 'Storage',
        marketplaceDetails: { marketplaceId: 'ATVPDKIKX0DER' },
        totalAmount: { currencyCode: 'USD', currencyAmount: -12.5 },
        breakdowns: [
          {
            breakdownType: 'FBAStorageFee',
            breakdowns: [
              {
                breakdownType: 'FBAStorageFee',
                breakdownAmount: { currencyCode: 'USD', currencyAmount: -10 },
              },
              {
                breakdownType: 'FBALongTermStorageFee',
                breakdownAmount: { currencyCode: 'USD', currencyAmount: -2.5 },
              },
            ],
          },
        ],
      },
      { transactionId: 'TX-2', transactionType: 'Shipment', postedDate: POSTED, breakdowns: [] },
    ]);
    expect(rows.map((r) => [r.eventId, r.feeType, r.amount])).toEqual([
      ['tx:TX-1:FBAStorageFee', 'FBAStorageFee', decimal(-10, 4)],
      ['tx:TX-1:FBALongTermStorageFee', 'FBALongTermStorageFee', decimal(-2.5, 4)],
    ]);
    expect(rows.every((r) => r.category === 'fee' && r.marketplaceId === 'ATVPDKIKX0DER')).toBe(true);
  });
});

describe('settlementFromSummary', () => {
  it('reads the period summary row of a settlement flat file', () => {
    const row = settlementFromSummary('tenant-1', {
      'settlement-id': '12345',
      'settlement-start-date': '2026-03-01 08:00:00 UTC',
      'settlement-end-date': '2026-03-15 08:00:00 UTC',
      'deposit-date': '2026-03-17 08:00:00 UTC',
      'total-amount': '1234.565',
      currency: 'USD',
    });
    expect(row).toEqual({
      tenantId: 'tenant-1',
      settlementId: '12345',
      startDate: new Date('2026-03-01T08:00:00Z'),
      endDate: new Date('2026-03-15T08:00:00Z'),
      depositDate: new Date('2026-03-17T08:00:00Z'),
      totalAmount: '1234.57',
      currency: 'USD',
    });
    expect(settlementFromSummary('tenant-1', { 'total-amount': '1' })).toBeNull();
  });
});
