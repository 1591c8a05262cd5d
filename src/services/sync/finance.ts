import { sql } from 'drizzle-orm';
import { reportRows } from '../../amazon/reports';
import type {
  ChargeComponent,
  FeeComponent,
  FinancialEvents,
  MoneyV0,
  ShipmentEvent,
  Transaction,
} from '../../amazon/sp-types';
import { financeEvents, type NewFinanceEvent, settlements } from '../../db/schema';
import { chunks, dedupeBy, upsertRows } from '../../db/upsert';
import { fromUnits, toUnits } from '../../lib/money';
import type { SyncContext, SyncOutcome } from './context';
import { advanceCursor, readCursor } from './jobs';
import { AMAZON_LAG_MS } from './orders';
import { marketplaceFromChannel, SYNTHETIC_ITEM_PREFIX } from './orders-map';

type Category = NewFinanceEvent['category'];
export const SETTLEMENT_REPORT = 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2';
const MAX_SETTLEMENTS_PER_RUN = 6;

const value = (m?: MoneyV0) => toUnits(m?.CurrencyAmount ?? m?.Amount ?? 0);

function chargeCategory(type: string, refund: boolean): Category {
  if (/tax/i.test(type)) return 'tax';
  if (refund) return 'refund';
  if (type === 'Principal' || type === 'GiftWrap') return 'revenue';
  if (/shipping/i.test(type)) return 'shipping';
  return 'other';
}

interface ItemFees {
  orderId: string;
  itemId: string;
  sku: string;
  referral: bigint;
  fba: bigint;
  other: bigint;
}

/**
 * Flattens Finances v0 events into one signed row per charge, fee or promotion. The event id is
 * built from Amazon's own identifiers and the component's position, so re-reading a period writes
 * the same keys.
 */
export function flattenEvents(
  tenantId: string,
  events: FinancialEvents,
  fees: Map<string, ItemFees>,
): NewFinanceEvent[] {
  const rows: NewFinanceEvent[] = [];
  const seen = new Map<string, number>();
  const push = (
    base: Omit<NewFinanceEvent, 'eventId' | 'tenantId' | 'source'>,
    keyParts: (string | undefined)[],
  ) => {
    const stem = `v0:${keyParts.map((p) => p ?? '').join(':')}`;
    const n = seen.get(stem) ?? 0;
    seen.set(stem, n + 1);
    rows.push({ ...base, tenantId, source: 'events_v0', eventId: n === 0 ? stem : `${stem}#${n}` });
  };
  const shipment = (e: ShipmentEvent, refund: boolean) => {
    const kind = refund ? 'Refund' : 'Shipment';
    const marketplaceId = marketplaceFromChannel(e.MarketplaceName);
    const postedDate = new Date(e.PostedDate ?? 0);
    for (const item of (refund ? e.ShipmentItemAdjustmentList : e.ShipmentItemList) ?? []) {
      const itemKey = item.OrderAdjustmentItemId ?? item.OrderItemId;
      const common = {
        eventType: kind,
        amazonOrderId: e.AmazonOrderId ?? null,
        sku: item.SellerSKU ?? null,
        marketplaceId,
        postedDate,
      };
      const charges: ChargeComponent[] = (refund ? item.ItemChargeAdjustmentList : item.ItemChargeList) ?? [];
      for (const c of charges) {
        push(
          {
            ...common,
            amount: fromUnits(value(c.ChargeAmount), 4),
            currency: c.ChargeAmount?.CurrencyCode ?? 'USD',
            feeType: c.ChargeType ?? null,
            category: chargeCategory(c.ChargeType ?? '', refund),
          },
          [kind, e.AmazonOrderId, itemKey, e.PostedDate, 'charge', c.ChargeType],
        );
      }
      const itemFees: FeeComponent[] = (refund ? item.ItemFeeAdjustmentList : item.ItemFeeList) ?? [];
      for (const f of itemFees) {
        push(
          {
            ...common,
            amount: fromUnits(value(f.FeeAmount), 4),
            currency: f.FeeAmount?.CurrencyCode ?? 'USD',
            feeType: f.FeeType ?? null,
            category: 'fee',
          },
          [kind, e.AmazonOrderId, itemKey, e.PostedDate, 'fee', f.FeeType],
        );
        if (!refund && e.AmazonOrderId && item.OrderItemId) {
          const k = `${e.AmazonOrderId}\u0000${item.OrderItemId}`;
          const acc = fees.get(k) ?? {
            orderId: e.AmazonOrderId,
            itemId: item.OrderItemId,
            sku: item.SellerSKU ?? '',
            referral: 0n,
            fba: 0n,
            other: 0n,
          };
          const cost = -value(f.FeeAmount);
          if (f.FeeType === 'Commission') acc.referral += cost;
          else if (f.FeeType === 'FBAPerUnitFulfillmentFee') acc.fba += cost;
          else acc.other += cost;
          fees.set(k, acc);
        }
      }
      for (const p of (refund ? item.PromotionAdjustmentList : item.PromotionList) ?? []) {
        push(
          {
            ...common,
            amount: fromUnits(value(p.PromotionAmount), 4),
            currency: p.PromotionAmount?.CurrencyCode ?? 'USD',
            feeType: p.PromotionType ?? null,
            category: 'promotion',
            description: p.PromotionId ?? null,
          },
          [kind, e.AmazonOrderId, itemKey, e.PostedDate, 'promo', p.PromotionId],
        );
      }
      for (const w of item.ItemTaxWithheldList ?? []) {
        for (const t of w.TaxesWithheld ?? []) {
          push(
            {
              ...common,
              amount: fromUnits(value(t.ChargeAmount), 4),
              currency: t.ChargeAmount?.CurrencyCode ?? 'USD',
              feeType: t.ChargeType ?? null,
              category: 'tax',
            },
            [kind, e.AmazonOrderId, itemKey, e.PostedDate, 'withheld', t.ChargeType],
          );
        }
      }
    }
  };
  for (const e of events.ShipmentEventList ?? []) shipment(e, false);
  for (const e of events.RefundEventList ?? []) shipment(e, true);
  for (const a of events.ProductAdsPaymentEventList ?? []) {
    push(
      {
        eventType: 'ProductAdsPayment',
        postedDate: new Date(a.postedDate ?? 0),
        amount: fromUnits(value(a.transactionValue), 4),
        currency: a.transactionValue?.CurrencyCode ?? 'USD',
        feeType: a.transactionType ?? null,
        category: 'advertising',
        description: a.invoiceId ?? null,
      },
      ['ProductAdsPayment', a.invoiceId, a.postedDate],
    );
  }
  for (const a of events.AdjustmentEventList ?? []) {
    push(
      {
        eventType: 'Adjustment',
        postedDate: new Date(a.PostedDate ?? 0),
        amount: fromUnits(value(a.AdjustmentAmount), 4),
        currency: a.AdjustmentAmount?.CurrencyCode ?? 'USD',
        feeType: a.AdjustmentType ?? null,
        category: 'other',
      },
      ['Adjustment', a.AdjustmentType, a.PostedDate],
    );
  }
  // Service fee events carry no date in Finances v0: they come from listTransactions instead.
  return rows;
}

/** Service fees (storage and the like) from Finances 2024-06-19, keyed by Amazon's transaction id. */
export function flattenServiceFees(tenantId: string, transactions: Transaction[]): NewFinanceEvent[] {
  const rows: NewFinanceEvent[] = [];
  for (const t of transactions) {
    if (t.transactionType !== 'ServiceFee' || !t.transactionId) continue;
    const leaves = (t.breakdowns ?? []).flatMap((b) =>
      (b as { breakdowns?: typeof t.breakdowns }).breakdowns?.length
        ? (b as { breakdowns: NonNullable<typeof t.breakdowns> }).breakdowns
        : [b],
    );
    leaves.forEach((b, i) => {
      rows.push({
        tenantId,
        eventId: `tx:${t.transactionId}:${b.breakdownType ?? i}`,
        source: 'transactions',
        eventType: 'ServiceFee',
        marketplaceId: t.marketplaceDetails?.marketplaceId ?? null,
        postedDate: new Date(t.postedDate ?? 0),
        amount: fromUnits(toUnits(b.breakdownAmount?.currencyAmount ?? 0), 4),
        currency: b.breakdownAmount?.currencyCode ?? t.totalAmount?.currencyCode ?? 'USD',
        feeType: b.breakdownType ?? null,
        category: 'fee',
        description: t.description ?? null,
      });
    });
  }
  return rows;
}

const FINANCE_UPDATE = [
  'eventType',
  'amazonOrderId',
  'sku',
  'marketplaceId',
  'postedDate',
  'amount',
  'currency',
  'feeType',
  'category',
  'description',
  'source',
] as const;

async function writeEvents(ctx: SyncContext, rows: NewFinanceEvent[]): Promise<number> {
  return upsertRows(
    ctx.db,
    financeEvents,
    dedupeBy(rows, (r) => r.eventId),
    {
      target: [financeEvents.tenantId, financeEvents.eventId],
      update: FINANCE_UPDATE,
    },
  );
}

/** Settled fees on order lines, one UPDATE per batch (lines from a report are matched by SKU). */
async function settleItemFees(ctx: SyncContext, fees: Map<string, ItemFees>): Promise<void> {
  for (const part of chunks([...fees.values()])) {
    const values = sql.join(
      part.map(
        (f) =>
          sql`(${f.orderId}, ${f.itemId}, ${`${SYNTHETIC_ITEM_PREFIX}${f.sku}`}, ${fromUnits(f.referral, 4)}::numeric, ${fromUnits(f.fba, 4)}::numeric, ${fromUnits(f.other, 4)}::numeric)`,
      ),
      sql`, `,
    );
    await ctx.db.execute(sql`
      UPDATE order_items oi SET referral_fee = v.referral, fba_fee = v.fba, other_fees = v.other, fee_status = 'settled', updated_at = now()
      FROM (VALUES ${values}) AS v(order_id, item_id, sku_key, referral, fba, other)
      WHERE oi.tenant_id = ${ctx.tenantId} AND oi.amazon_order_id = v.order_id
        AND (oi.order_item_id = v.item_id OR oi.order_item_id = v.sku_key)`);
  }
}

export async function syncFinance(ctx: SyncContext): Promise<SyncOutcome> {
  const cursor = await readCursor(ctx.db, ctx.tenantId, 'finance');
  const start = ctx.job.rangeStart ?? cursor ?? new Date(Date.now() - 30 * 86_400_000);
  const end = new Date(Math.min((ctx.job.rangeEnd ?? new Date()).getTime(), Date.now() - AMAZON_LAG_MS));
  let records = 0;
  const fees = new Map<string, ItemFees>();
  for await (const page of ctx.sp.listFinancialEvents({
    PostedAfter: start.toISOString(),
    PostedBefore: end.toISOString(),
  })) {
    const rows = flattenEvents(ctx.tenantId, page, fees);
    records += await writeEvents(ctx, rows);
    await ctx.progress(40, records);
  }
  for await (const page of ctx.sp.listTransactions({
    postedAfter: start.toISOString(),
    postedBefore: end.toISOString(),
  })) {
    records += await writeEvents(ctx, flattenServiceFees(ctx.tenantId, page));
  }
  await settleItemFees(ctx, fees);
  await ctx.progress(70, records);
  const settled = await syncSettlements(ctx, start);
  await advanceCursor(ctx.db, ctx.tenantId, 'finance', end);
  return { records: records + settled, errors: 0, warnings: [], affected: { from: start, to: end } };
}

/** Settlement V2 flat files are scheduled by Amazon and found with getReports, never requested. */
async function syncSettlements(ctx: SyncContext, since: Date): Promise<number> {
  let count = 0;
  const seen = new Set<string>();
  for await (const page of ctx.sp.getReports({
    reportTypes: [SETTLEMENT_REPORT],
    processingStatuses: ['DONE'],
    createdSince: since.toISOString(),
    marketplaceIds: ctx.marketplaceIds,
  })) {
    for (const report of page) {
      if (!report.reportDocumentId || seen.has(report.reportId)) continue;
      // Each document costs a getReportDocument token (1 a minute): the rest wait for the next run.
      if (seen.size >= MAX_SETTLEMENTS_PER_RUN) return count;
      seen.add(report.reportId);
      let summary: Record<string, string> | undefined;
      // The first row is the period summary; the amount lines duplicate the finance events.
      for await (const row of reportRows(ctx.sp, report.reportDocumentId, ctx.fetcher)) {
        if (!summary && row['settlement-start-date']) summary = row;
      }
      if (!summary?.['settlement-id']) continue;
      const when = (v?: string) => (v ? new Date(v.replace(' UTC', 'Z').replace(' ', 'T')) : null);
      await upsertRows(
        ctx.db,
        settlements,
        [
          {
            tenantId: ctx.tenantId,
            settlementId: summary['settlement-id'],
            startDate: when(summary['settlement-start-date']),
            endDate: when(summary['settlement-end-date']),
            depositDate: when(summary['deposit-date']),
            totalAmount: summary['total-amount'] ? fromUnits(toUnits(summary['total-amount']), 2) : null,
            currency: summary.currency || null,
          },
        ],
        {
          target: [settlements.tenantId, settlements.settlementId],
          update: ['startDate', 'endDate', 'depositDate', 'totalAmount', 'currency'],
        },
      );
      count += 1;
    }
  }
  return count;
}
