import { MARKETPLACES, marketplaceById } from '../data/marketplaces';
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

const range = (r: StoredReport): [number, number] => {
  const end = r.dataEndTime ? Date.parse(r.dataEndTime) : r.createdMs;
  const start = r.dataStartTime ? Date.parse(r.dataStartTime) : end - 30 * 86_400_000;
  return [start, end];
};
const firstMarketplace = (r: StoredReport) => marketplaceById(r.marketplaceIds[0] ?? '') ?? MARKETPLACES[0]!;

/** Requestable report types and how their documents are built. */
export const REPORT_BUILDERS: Record<string, Builder> = {
  GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL: (s, r) =>
    ordersFlatFile(s, 'lastUpdated', ...range(r), r.marketplaceIds, r.createdMs),
  GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL: (s, r) =>
    ordersFlatFile(s, 'created', ...range(r), r.marketplaceIds, r.createdMs),
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
