import { MARKETPLACES, marketplaceById } from '../data/marketplaces';
import { scanOrders } from '../data/order-query';
import type { Seller } from '../data/seller';
import { settlementEvents, settlementFor } from '../data/settlements';
import type { StoredReport } from '../state/types';
import { parseSettlementReportId } from './ids';
import { inventoryFlatFile } from './inventory-report';
import { listingsFlatFile } from './listings-report';
import { ordersFlatFile } from './orders-report';
import { settlementFlatFile } from './settlement-report';

export const SETTLEMENT_TYPE = 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2';
export const NOT_REQUESTABLE = new Set([
  SETTLEMENT_TYPE,
  'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE',
  'GET_V2_SETTLEMENT_REPORT_DATA_XML',
]);

/** A document is produced as text chunks so large ones can stream. */
type Builder = (seller: Seller, r: StoredReport) => Iterable<string>;

const DAY_MS = 86_400_000;

/** What a report was asked for: enough to build its document or to know it has none. */
type Requested = Pick<
  StoredReport,
  'reportType' | 'marketplaceIds' | 'dataStartTime' | 'dataEndTime' | 'createdMs'
>;

const range = (r: Requested): [number, number] => {
  const end = r.dataEndTime ? Date.parse(r.dataEndTime) : r.createdMs;
  const start = r.dataStartTime ? Date.parse(r.dataStartTime) : end - 30 * DAY_MS;
  return [start, end];
};
const firstMarketplace = (r: StoredReport) => marketplaceById(r.marketplaceIds[0] ?? '') ?? MARKETPLACES[0]!;

/** The order report types, and the time each one filters on. */
const ORDER_REPORTS: Record<string, 'lastUpdated' | 'created'> = {
  GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL: 'lastUpdated',
  GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL: 'created',
};

/** Amazon serves an order report for at most 30 days per request. */
export const ORDER_REPORT_MAX_DAYS = 30;
/** What Amazon puts in the document of a longer request, instead of rows (the report still ends DONE). */
export const DATE_RANGE_EXCEEDED = 'Date range exceeded. Report can be requested only upto 30 days';

function ordersDocument(seller: Seller, r: StoredReport, by: 'lastUpdated' | 'created'): Iterable<string> {
  if (r.rangeExceeded) return [DATE_RANGE_EXCEEDED];
  return ordersFlatFile(seller, by, ...range(r), r.marketplaceIds, r.createdMs);
}

/**
 * What Amazon decides when an order report is requested: a range over the limit gets the one-line
 * message for a document; a report it has no data for (a new seller, a marketplace without sales)
 * ends CANCELLED with no document. Other types always have data here (every seller has listings).
 */
export function assessReport(
  seller: Seller,
  r: Requested,
  maxDays = ORDER_REPORT_MAX_DAYS,
): Pick<StoredReport, 'rangeExceeded' | 'noData'> {
  const by = ORDER_REPORTS[r.reportType];
  if (!by) return {};
  const [fromMs, toMs] = range(r);
  if (toMs - fromMs > maxDays * DAY_MS) return { rangeExceeded: true };
  const q = { by, fromMs, toMs, marketplaceIds: r.marketplaceIds, nowMs: r.createdMs };
  return scanOrders(seller, q, 1).orders.length === 0 ? { noData: true } : {};
}

/** Requestable report types and how their documents are built. */
export const REPORT_BUILDERS: Record<string, Builder> = {
  ...Object.fromEntries(
    Object.entries(ORDER_REPORTS).map(([type, by]): [string, Builder] => [
      type,
      (s, r) => ordersDocument(s, r, by),
    ]),
  ),
  GET_MERCHANT_LISTINGS_ALL_DATA: (s, r) => [listingsFlatFile(s, firstMarketplace(r), r.createdMs)],
  GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA: (s, r) => [
    inventoryFlatFile(s, firstMarketplace(r), r.createdMs, false),
  ],
  GET_FBA_MYI_ALL_INVENTORY_DATA: (s, r) => [inventoryFlatFile(s, firstMarketplace(r), r.createdMs, true)],
};

export function settlementDocument(seller: Seller, reportId: string, nowMs: number): string | undefined {
  const parsed = parseSettlementReportId(reportId);
  const mp = parsed && seller.marketplaces[parsed.mpIndex];
  if (!parsed || !mp) return undefined;
  const s = settlementFor(seller, mp, parsed.period, nowMs);
  if (!s.closed) return undefined;
  return settlementFlatFile(s, settlementEvents(seller, s, nowMs));
}
