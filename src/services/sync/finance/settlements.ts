import { reportRows } from '../../../amazon/reports';
import { settlements } from '../../../db/schema';
import { upsertRows } from '../../../db/upsert';
import type { SpSyncContext } from '../engine/context';
import { retailMarketplaceIds } from '../marketplaces';
import { SETTLEMENT_REPORT, settlementFromSummary } from './finance-map';

/** Each document costs a getReportDocument token (1 a minute): the rest wait for the next run. */
const MAX_SETTLEMENTS_PER_RUN = 6;

/** The period summary is the first row; the amount lines duplicate the finance events. */
async function readSummary(
  ctx: SpSyncContext,
  documentId: string,
): Promise<Record<string, string> | undefined> {
  let summary: Record<string, string> | undefined;
  for await (const row of reportRows(ctx.sp, documentId, SETTLEMENT_REPORT)) {
    if (!summary && row['settlement-start-date']) summary = row;
  }
  return summary;
}

/** Settlement V2 flat files are scheduled by Amazon and found with getReports, never requested. */
export async function syncSettlements(ctx: SpSyncContext, since: Date): Promise<number> {
  const marketplaceIds = await retailMarketplaceIds(ctx);
  if (marketplaceIds.length === 0) return 0;
  let count = 0;
  const seen = new Set<string>();
  for await (const page of ctx.sp.getReports({
    reportTypes: [SETTLEMENT_REPORT.name],
    processingStatuses: ['DONE'],
    createdSince: since.toISOString(),
    marketplaceIds,
  })) {
    for (const report of page) {
      if (!report.reportDocumentId || seen.has(report.reportId)) continue;
      if (seen.size >= MAX_SETTLEMENTS_PER_RUN) return count;
      seen.add(report.reportId);
      const summary = await readSummary(ctx, report.reportDocumentId);
      const row = summary && settlementFromSummary(ctx.tenant.id, summary);
      if (!row) continue;
      await upsertRows(ctx.db, settlements, [row], {
        target: [settlements.tenantId, settlements.settlementId],
        update: ['startDate', 'endDate', 'depositDate', 'totalAmount', 'currency'],
      });
      count += 1;
    }
  }
  return count;
}
