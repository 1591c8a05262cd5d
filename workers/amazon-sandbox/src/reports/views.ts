import type { Seller } from '../data/seller';
import { settlementsFor } from '../data/settlements';
import { iso } from '../lib/time';
import type { StoredReport } from '../state/types';
import { SETTLEMENT_TYPE } from './catalog';
import { documentIdFor, settlementReportId } from './ids';
import { timeline } from './status';

export interface ReportView {
  reportId: string;
  reportType: string;
  marketplaceIds: string[];
  createdMs: number;
  body: Record<string, unknown>;
  status: string;
}

const regionOf = (marketplaceIds: string[]) => (marketplaceIds[0] === 'A1F83G8C2ARO7P' ? 'eu' : 'na');

export function requestedReportView(sellerId: string, r: StoredReport, nowMs: number): ReportView {
  const t = timeline(r, nowMs);
  return {
    reportId: r.reportId,
    reportType: r.reportType,
    marketplaceIds: r.marketplaceIds,
    createdMs: r.createdMs,
    status: t.status,
    body: {
      reportType: r.reportType,
      reportId: r.reportId,
      marketplaceIds: r.marketplaceIds,
      ...(r.dataStartTime ? { dataStartTime: iso(Date.parse(r.dataStartTime)) } : {}),
      ...(r.dataEndTime ? { dataEndTime: iso(Date.parse(r.dataEndTime)) } : {}),
      createdTime: iso(r.createdMs),
      processingStatus: t.status,
      ...(t.processingStartMs !== undefined ? { processingStartTime: iso(t.processingStartMs) } : {}),
      ...(t.processingEndMs !== undefined ? { processingEndTime: iso(t.processingEndMs) } : {}),
      ...(t.status === 'DONE'
        ? { reportDocumentId: documentIdFor(sellerId, r.reportId, regionOf(r.marketplaceIds)) }
        : {}),
    },
  };
}

/** Amazon schedules settlement reports itself: one per marketplace and closed 14-day period. */
export function settlementReportViews(seller: Seller, nowMs: number): ReportView[] {
  return settlementsFor(seller, nowMs)
    .filter((s) => s.closed && s.endMs + 3_600_000 <= nowMs)
    .map((s) => {
      const mpIndex = seller.marketplaces.indexOf(s.marketplace);
      const reportId = settlementReportId(s.period, mpIndex);
      const createdMs = s.endMs + 3_600_000;
      return {
        reportId,
        reportType: SETTLEMENT_TYPE,
        marketplaceIds: [s.marketplace.id],
        createdMs,
        status: 'DONE',
        body: {
          reportType: SETTLEMENT_TYPE,
          reportId,
          marketplaceIds: [s.marketplace.id],
          dataStartTime: iso(s.startMs),
          dataEndTime: iso(s.endMs),
          createdTime: iso(createdMs),
          processingStatus: 'DONE',
          processingStartTime: iso(createdMs),
          processingEndTime: iso(createdMs),
          reportDocumentId: documentIdFor(seller.id, reportId, regionOf([s.marketplace.id])),
        },
      };
    });
}
