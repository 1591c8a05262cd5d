import { iso } from '../lib/time';
import { type Amount, type EventItem, eventNet, type FinanceEvent, fmtCurrency } from './finances';
import { periodOf } from './settlement-periods';
import { groupIdFor } from './settlements';

const charge = (a: Amount, cur: string) => ({ ChargeType: a.type, ChargeAmount: fmtCurrency(a.cents, cur) });
const fee = (a: Amount, cur: string) => ({ FeeType: a.type, FeeAmount: fmtCurrency(a.cents, cur) });

function itemV0(i: EventItem, cur: string, refund: boolean): Record<string, unknown> {
  const promotions = i.promotions.map((p) => ({
    PromotionType: 'PromotionMetaDataDefinitionValue',
    PromotionId: p.id,
    PromotionAmount: fmtCurrency(p.cents, cur),
  }));
  const withheld =
    i.taxWithheld.length > 0
      ? [
          {
            TaxCollectionModel: 'MarketplaceFacilitator',
            TaxesWithheld: i.taxWithheld.map((t) => charge(t, cur)),
          },
        ]
      : [];
  return {
    SellerSKU: i.sku,
    OrderItemId: i.orderItemId,
    ...(i.adjustmentId ? { OrderAdjustmentItemId: i.adjustmentId } : {}),
    QuantityShipped: i.quantity,
    ...(refund
      ? {
          ItemChargeAdjustmentList: i.charges.map((a) => charge(a, cur)),
          ItemFeeAdjustmentList: i.fees.map((a) => fee(a, cur)),
          PromotionAdjustmentList: promotions,
        }
      : {
          ItemChargeList: i.charges.map((a) => charge(a, cur)),
          ItemFeeList: i.fees.map((a) => fee(a, cur)),
          PromotionList: promotions,
        }),
    ItemTaxWithheldList: withheld,
  };
}

/** Finances v0 `FinancialEvents` for a list of events. */
export function financialEventsV0(events: FinanceEvent[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {
    ShipmentEventList: [],
    RefundEventList: [],
    ServiceFeeEventList: [],
    ProductAdsPaymentEventList: [],
  };
  for (const e of events) {
    const cur = e.marketplace.currency;
    if (e.kind === 'Shipment' || e.kind === 'Refund') {
      const refund = e.kind === 'Refund';
      const body = {
        AmazonOrderId: e.order!.orderId,
        MarketplaceName: e.marketplace.name,
        PostedDate: iso(e.postedMs),
        ...(refund
          ? { ShipmentItemAdjustmentList: e.items.map((i) => itemV0(i, cur, true)) }
          : { ShipmentItemList: e.items.map((i) => itemV0(i, cur, false)) }),
      };
      out[refund ? 'RefundEventList' : 'ShipmentEventList']!.push(body);
    } else if (e.kind === 'ServiceFee') {
      out.ServiceFeeEventList!.push({
        FeeReason: 'FBA Inventory Storage Fee',
        FeeList: e.fees.map((a) => fee(a, cur)),
        FeeDescription: `${e.marketplace.name} monthly storage`,
      });
    } else {
      const total = e.fees.reduce((s, a) => s + a.cents, 0);
      out.ProductAdsPaymentEventList!.push({
        postedDate: iso(e.postedMs),
        transactionType: 'Charge',
        invoiceId: `INV-${e.id.replace(/[^0-9A-Z]/g, '').slice(-10)}`,
        baseValue: fmtCurrency(total, cur),
        taxValue: fmtCurrency(0, cur),
        transactionValue: fmtCurrency(total, cur),
      });
    }
  }
  return out;
}

const money24 = (cents: number, cur: string) => ({
  currencyCode: cur,
  currencyAmount: Math.round(cents) / 100,
});

/** Finances 2024-06-19 `Transaction`. */
export function transaction2024(sellerId: string, e: FinanceEvent, nowMs: number): Record<string, unknown> {
  const cur = e.marketplace.currency;
  const group = groupIdFor(e.marketplace.id, periodOf(e.postedMs));
  const related = [
    { relatedIdentifierName: 'FINANCIAL_EVENT_GROUP_ID', relatedIdentifierValue: group },
    ...(e.order ? [{ relatedIdentifierName: 'ORDER_ID', relatedIdentifierValue: e.order.orderId }] : []),
  ];
  const sumOf = (f: (i: EventItem) => Amount[]) =>
    e.items.reduce((s, i) => s + f(i).reduce((t, a) => t + a.cents, 0), 0);
  const breakdowns =
    e.items.length > 0
      ? [
          {
            breakdownType: 'Sales',
            breakdownAmount: money24(
              sumOf((i) => i.charges) +
                e.items.reduce((s, i) => s + i.promotions.reduce((t, p) => t + p.cents, 0), 0),
              cur,
            ),
          },
          {
            breakdownType: 'Expenses',
            breakdownAmount: money24(
              sumOf((i) => i.fees),
              cur,
            ),
            breakdowns: feeTypes(e).map(([type, cents]) => ({
              breakdownType: type,
              breakdownAmount: money24(cents, cur),
            })),
          },
          {
            breakdownType: 'Tax',
            breakdownAmount: money24(
              sumOf((i) => i.taxWithheld),
              cur,
            ),
          },
        ]
      : [
          {
            breakdownType: 'Expenses',
            breakdownAmount: money24(eventNet(e), cur),
            breakdowns: e.fees.map((a) => ({
              breakdownType: a.type,
              breakdownAmount: money24(a.cents, cur),
            })),
          },
        ];
  return {
    sellingPartnerMetadata: {
      sellingPartnerId: sellerId,
      accountType: 'Standard Orders',
      marketplaceId: e.marketplace.id,
    },
    relatedIdentifiers: related,
    transactionType: e.kind,
    transactionId: e.id.replace(/[^0-9A-Za-z]/g, ''),
    transactionStatus: nowMs >= e.postedMs ? 'RELEASED' : 'DEFERRED',
    description:
      e.kind === 'Shipment'
        ? 'Order Payment'
        : e.kind === 'Refund'
          ? 'Refund Order'
          : e.kind === 'ServiceFee'
            ? 'FBA storage fee'
            : 'Cost of Advertising',
    postedDate: iso(e.postedMs),
    totalAmount: money24(eventNet(e), cur),
    marketplaceDetails: { marketplaceId: e.marketplace.id, marketplaceName: e.marketplace.name },
    items: e.items.map((i) => ({
      description: i.sku,
      totalAmount: money24(
        i.charges.concat(i.fees, i.taxWithheld).reduce((s, a) => s + a.cents, 0) +
          i.promotions.reduce((s, p) => s + p.cents, 0),
        cur,
      ),
      relatedIdentifiers: i.adjustmentId
        ? [
            {
              itemRelatedIdentifierName: 'ORDER_ADJUSTMENT_ITEM_ID',
              itemRelatedIdentifierValue: i.adjustmentId,
            },
          ]
        : [],
    })),
    breakdowns,
  };
}

function feeTypes(e: FinanceEvent): [string, number][] {
  const m = new Map<string, number>();
  for (const i of e.items) for (const f of i.fees) m.set(f.type, (m.get(f.type) ?? 0) + f.cents);
  return [...m.entries()];
}
