import type { FinanceEvent } from '../data/finances';
import type { Settlement } from '../data/settlements';
import { settlementTotalCents } from '../data/settlements';
import { price, settlementTime, toTsv } from './flat-file';

const HEADER = [
  'settlement-id',
  'settlement-start-date',
  'settlement-end-date',
  'deposit-date',
  'total-amount',
  'currency',
  'transaction-type',
  'order-id',
  'merchant-order-id',
  'adjustment-id',
  'shipment-id',
  'marketplace-name',
  'amount-type',
  'amount-description',
  'amount',
  'fulfillment-id',
  'posted-date',
  'posted-date-time',
  'order-item-code',
  'merchant-order-item-id',
  'merchant-adjustment-item-id',
  'sku',
  'quantity-purchased',
  'promotion-id',
] as const;

/** GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2: a summary row, then one row per amount. */
export function settlementFlatFile(s: Settlement, events: FinanceEvent[]): string {
  const rows: (string | number)[][] = [
    [
      s.settlementId,
      settlementTime(s.startMs),
      settlementTime(s.endMs),
      settlementTime(s.depositMs),
      price(settlementTotalCents(events)),
      s.marketplace.currency,
      ...Array<string>(18).fill(''),
    ],
  ];
  const row = (
    e: FinanceEvent,
    type: string,
    amountType: string,
    desc: string,
    cents: number,
    item?: { sku: string; orderItemId: string; adjustmentId?: string; quantity: number },
    promo = '',
  ) => [
    s.settlementId,
    '',
    '',
    '',
    '',
    '',
    type,
    e.order?.orderId ?? '',
    '',
    item?.adjustmentId ?? '',
    '',
    e.marketplace.salesChannel,
    amountType,
    desc,
    price(cents),
    e.order ? (e.order.fulfillment === 'AFN' ? 'AFN' : 'MFN') : '',
    new Date(e.postedMs).toISOString().slice(0, 10),
    settlementTime(e.postedMs),
    item?.orderItemId ?? '',
    '',
    '',
    item?.sku ?? '',
    item && type === 'Order' ? item.quantity : '',
    promo,
  ];
  for (const e of events) {
    if (e.kind === 'Shipment' || e.kind === 'Refund') {
      const type = e.kind === 'Shipment' ? 'Order' : 'Refund';
      for (const i of e.items) {
        for (const ch of i.charges) rows.push(row(e, type, 'ItemPrice', ch.type, ch.cents, i));
        for (const f of i.fees) rows.push(row(e, type, 'ItemFees', f.type, f.cents, i));
        for (const p of i.promotions) rows.push(row(e, type, 'Promotion', 'Principal', p.cents, i, p.id));
        for (const t of i.taxWithheld) rows.push(row(e, type, 'ItemWithheldTax', t.type, t.cents, i));
      }
    } else {
      for (const f of e.fees) {
        rows.push(
          row(
            e,
            'other-transaction',
            'other-transaction',
            f.type === 'FBAStorageFee' ? 'Storage Fee' : 'Cost of Advertising',
            f.cents,
          ),
        );
      }
    }
  }
  return toTsv(HEADER, rows);
}
