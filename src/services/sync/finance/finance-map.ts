import type { ReportFormat } from '../../../amazon/reports';
import type {
  FinancialEvents,
  MoneyV0,
  ShipmentEvent,
  ShipmentItem,
  Transaction,
} from '../../../amazon/sp-types';
import type { NewFinanceEvent, settlements } from '../../../db/schema';
import { decimal, toUnits } from '../../../lib/money';
import { FEE_TYPES } from '../../finance/fee-types';
import { marketplaceFromChannel } from '../orders/orders-map';

type Category = NewFinanceEvent['category'];

/** Settled fees of one shipped order line, in currency units × 10^4 (see lib/money), as costs. */
export interface ItemFees {
  orderId: string;
  itemId: string;
  sku: string;
  referral: bigint;
  fba: bigint;
  other: bigint;
}

/** One signed amount of an event, before it becomes a row. */
interface Component {
  /** Part of the event id: which list of the item it came from. */
  tag: 'charge' | 'fee' | 'promo' | 'withheld';
  money: MoneyV0 | undefined;
  feeType: string | undefined;
  /** Part of the event id that tells components of one list apart. */
  key: string | undefined;
  category: Category;
  description?: string | null;
}

function chargeCategory(type: string, refund: boolean): Category {
  if (/tax/i.test(type)) return 'tax';
  if (refund) return 'refund';
  if (type === 'Principal' || type === 'GiftWrap') return 'revenue';
  if (/shipping/i.test(type)) return 'shipping';
  return 'other';
}

/** Every amount list of a shipment item (or, for a refund, its adjustment lists), in event-id order. */
const ITEM_COMPONENTS: ((item: ShipmentItem, refund: boolean) => Component[])[] = [
  (item, refund) =>
    ((refund ? item.ItemChargeAdjustmentList : item.ItemChargeList) ?? []).map((c) => ({
      tag: 'charge',
      money: c.ChargeAmount,
      feeType: c.ChargeType,
      key: c.ChargeType,
      category: chargeCategory(c.ChargeType ?? '', refund),
    })),
  (item, refund) =>
    ((refund ? item.ItemFeeAdjustmentList : item.ItemFeeList) ?? []).map((f) => ({
      tag: 'fee',
      money: f.FeeAmount,
      feeType: f.FeeType,
      key: f.FeeType,
      category: 'fee',
    })),
  (item, refund) =>
    ((refund ? item.PromotionAdjustmentList : item.PromotionList) ?? []).map((p) => ({
      tag: 'promo',
      money: p.PromotionAmount,
      feeType: p.PromotionType,
      key: p.PromotionId,
      category: 'promotion',
      description: p.PromotionId ?? null,
    })),
  (item) =>
    (item.ItemTaxWithheldList ?? [])
      .flatMap((w) => w.TaxesWithheld ?? [])
      .map((t) => ({
        tag: 'withheld',
        money: t.ChargeAmount,
        feeType: t.ChargeType,
        key: t.ChargeType,
        category: 'tax',
      })),
];

/** An amount that belongs to no order item. */
interface AccountComponent extends Omit<Component, 'tag' | 'key'> {
  eventType: string;
  postedDate: string | undefined;
  /** Amazon's identifiers of the event, for its id. */
  keyParts: (string | undefined)[];
}

/** Events that belong to no order item, each read the same way. */
const ACCOUNT_EVENTS: ((events: FinancialEvents) => AccountComponent[])[] = [
  (events) =>
    (events.ProductAdsPaymentEventList ?? []).map((a) => ({
      eventType: 'ProductAdsPayment',
      postedDate: a.postedDate,
      money: a.transactionValue,
      feeType: a.transactionType,
      category: 'advertising',
      description: a.invoiceId ?? null,
      keyParts: [a.invoiceId, a.postedDate],
    })),
  (events) =>
    (events.AdjustmentEventList ?? []).map((a) => ({
      eventType: 'Adjustment',
      postedDate: a.PostedDate,
      money: a.AdjustmentAmount,
      feeType: a.AdjustmentType,
      category: 'other',
      keyParts: [a.AdjustmentType, a.PostedDate],
    })),
];

/** Signed amount at the stored scale (4 decimals); v0 money has CurrencyAmount or Amount. */
const amountOf = (m: MoneyV0 | undefined) => decimal(m?.CurrencyAmount ?? m?.Amount ?? 0, 4);

const REFERRAL_FEES: ReadonlySet<string> = new Set(FEE_TYPES.referral);
const FBA_FEES: ReadonlySet<string> = new Set(FEE_TYPES.fbaFulfillment);

/** Adds one settled fee to its line's bucket; the P&L's fee lines (FEE_TYPES) decide the bucket. */
function addItemFee(acc: ItemFees, feeType: string | undefined, money: MoneyV0 | undefined): void {
  const cost = -toUnits(money?.CurrencyAmount ?? money?.Amount ?? 0);
  if (feeType && REFERRAL_FEES.has(feeType)) acc.referral += cost;
  else if (feeType && FBA_FEES.has(feeType)) acc.fba += cost;
  else acc.other += cost;
}

/** Deterministic event ids: Amazon's identifiers, plus `#n` for the n-th repeat of the same key. */
function eventIds() {
  const seen = new Map<string, number>();
  return (keyParts: (string | undefined)[]) => {
    const stem = `v0:${keyParts.map((p) => p ?? '').join(':')}`;
    const n = seen.get(stem) ?? 0;
    seen.set(stem, n + 1);
    return n === 0 ? stem : `${stem}#${n}`;
  };
}

function rowOf(
  tenantId: string,
  eventId: string,
  c: Omit<Component, 'tag' | 'key'>,
): Omit<NewFinanceEvent, 'eventType' | 'postedDate'> {
  return {
    tenantId,
    source: 'events_v0',
    eventId,
    amount: amountOf(c.money),
    currency: c.money?.CurrencyCode ?? 'USD',
    feeType: c.feeType ?? null,
    category: c.category,
    ...(c.description !== undefined ? { description: c.description } : {}),
  };
}

/**
 * Finances v0 events as one signed row per charge, fee, promotion and withheld tax, plus the
 * settled fees of each shipped order line. The event id is built from Amazon's own identifiers and
 * the component's position, so re-reading a period writes the same keys. Service fee events carry
 * no date in Finances v0: they come from listTransactions instead (flattenServiceFees).
 */
export function flattenEvents(
  tenantId: string,
  events: FinancialEvents,
): { rows: NewFinanceEvent[]; itemFees: ItemFees[] } {
  const rows: NewFinanceEvent[] = [];
  const itemFees = new Map<string, ItemFees>();
  const idOf = eventIds();
  const shipment = (e: ShipmentEvent, refund: boolean) => {
    const eventType = refund ? 'Refund' : 'Shipment';
    const common = {
      eventType,
      amazonOrderId: e.AmazonOrderId ?? null,
      marketplaceId: marketplaceFromChannel(e.MarketplaceName),
      postedDate: new Date(e.PostedDate ?? 0),
    };
    for (const item of (refund ? e.ShipmentItemAdjustmentList : e.ShipmentItemList) ?? []) {
      const itemKey = item.OrderAdjustmentItemId ?? item.OrderItemId;
      for (const c of ITEM_COMPONENTS.flatMap((list) => list(item, refund))) {
        const eventId = idOf([eventType, e.AmazonOrderId, itemKey, e.PostedDate, c.tag, c.key]);
        rows.push({ ...common, sku: item.SellerSKU ?? null, ...rowOf(tenantId, eventId, c) });
      }
      const fees = refund ? [] : (item.ItemFeeList ?? []);
      if (fees.length === 0 || !e.AmazonOrderId || !item.OrderItemId) continue;
      const lineKey = `${e.AmazonOrderId}\u0000${item.OrderItemId}`;
      const acc = itemFees.get(lineKey) ?? {
        orderId: e.AmazonOrderId,
        itemId: item.OrderItemId,
        sku: item.SellerSKU ?? '',
        referral: 0n,
        fba: 0n,
        other: 0n,
      };
      for (const f of fees) addItemFee(acc, f.FeeType, f.FeeAmount);
      itemFees.set(lineKey, acc);
    }
  };
  for (const e of events.ShipmentEventList ?? []) shipment(e, false);
  for (const e of events.RefundEventList ?? []) shipment(e, true);
  for (const a of ACCOUNT_EVENTS.flatMap((read) => read(events))) {
    const eventId = idOf([a.eventType, ...a.keyParts]);
    rows.push({
      eventType: a.eventType,
      postedDate: new Date(a.postedDate ?? 0),
      ...rowOf(tenantId, eventId, a),
    });
  }
  return { rows, itemFees: [...itemFees.values()] };
}

/** Adds a page's settled line fees to those of earlier pages (a line can settle in two events). */
export function mergeItemFees(into: Map<string, ItemFees>, fees: ItemFees[]): void {
  for (const f of fees) {
    const key = `${f.orderId}\u0000${f.itemId}`;
    const acc = into.get(key);
    if (!acc) into.set(key, { ...f });
    else {
      acc.referral += f.referral;
      acc.fba += f.fba;
      acc.other += f.other;
    }
  }
}

/** Finances 2024-06-19 breakdowns can nest one level (not in our SP-API types). */
interface Breakdown {
  breakdownType?: string;
  breakdownAmount?: { currencyCode?: string; currencyAmount?: number };
  breakdowns?: Breakdown[];
}
type ServiceFeeTransaction = Omit<Transaction, 'breakdowns'> & { breakdowns?: Breakdown[] };

/** Service fees (storage and the like) from Finances 2024-06-19, keyed by Amazon's transaction id. */
export function flattenServiceFees(
  tenantId: string,
  transactions: ServiceFeeTransaction[],
): NewFinanceEvent[] {
  const rows: NewFinanceEvent[] = [];
  for (const t of transactions) {
    if (t.transactionType !== 'ServiceFee' || !t.transactionId) continue;
    const leaves = (t.breakdowns ?? []).flatMap((b) => (b.breakdowns?.length ? b.breakdowns : [b]));
    leaves.forEach((b, i) => {
      rows.push({
        tenantId,
        eventId: `tx:${t.transactionId}:${b.breakdownType ?? i}`,
        source: 'transactions',
        eventType: 'ServiceFee',
        marketplaceId: t.marketplaceDetails?.marketplaceId ?? null,
        postedDate: new Date(t.postedDate ?? 0),
        amount: decimal(b.breakdownAmount?.currencyAmount ?? 0, 4),
        currency: b.breakdownAmount?.currencyCode ?? t.totalAmount?.currencyCode ?? 'USD',
        feeType: b.breakdownType ?? null,
        category: 'fee',
        description: t.description ?? null,
      });
    });
  }
  return rows;
}

/** The settlement V2 flat file, and the columns its period summary cannot be read without. */
export const SETTLEMENT_REPORT: ReportFormat = {
  name: 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2',
  columns: ['settlement-id', 'settlement-start-date', 'settlement-end-date', 'total-amount', 'currency'],
};

/** Settlement report dates look like `2026-03-01 08:00:00 UTC`. */
const reportDate = (v?: string) => (v ? new Date(v.replace(' UTC', 'Z').replace(' ', 'T')) : null);

/** The period summary (first row) of a settlement V2 flat file; null without a settlement id. */
export function settlementFromSummary(
  tenantId: string,
  summary: Record<string, string>,
): typeof settlements.$inferInsert | null {
  const settlementId = summary['settlement-id'];
  if (!settlementId) return null;
  return {
    tenantId,
    settlementId,
    startDate: reportDate(summary['settlement-start-date']),
    endDate: reportDate(summary['settlement-end-date']),
    depositDate: reportDate(summary['deposit-date']),
    totalAmount: summary['total-amount'] ? decimal(summary['total-amount'], 2) : null,
    currency: summary.currency || null,
  };
}
