import { messageOf } from '../lib/errors';
import { charsetOf, decompressIfGzip, lineDecoder, parseTsv, streamLines } from './documents';
import { AmazonError, ReportError } from './errors';
import { sleep } from './http';
import type { SpApiClient } from './sp-api';

export interface PollPolicy {
  /** First poll delay; doubles up to `maxMs`. */
  firstMs: number;
  maxMs: number;
  /** Give up on a report that is not DONE after this long (reports can sit IN_QUEUE for hours). */
  deadlineMs: number;
}

export const DEFAULT_POLL: PollPolicy = { firstMs: 2_000, maxMs: 30_000, deadlineMs: 10 * 60_000 };

export interface ReportRequest {
  reportType: string;
  marketplaceIds: readonly string[];
  dataStartTime?: string;
  dataEndTime?: string;
}

/** Creates a report unless one is already being waited for (a retried job resumes its report). */
export async function requestReport(sp: SpApiClient, req: ReportRequest): Promise<string> {
  const { reportId } = await sp.createReport(req);
  if (!reportId)
    throw new AmazonError('transient', `createReport for ${req.reportType} returned no reportId`);
  return reportId;
}

/** Polls with backoff until DONE; FATAL and CANCELLED fail, a deadline stops endless IN_QUEUE. */
export async function waitForReport(
  sp: SpApiClient,
  reportId: string,
  policy: PollPolicy = DEFAULT_POLL,
  wait: (ms: number) => Promise<void> = sleep,
): Promise<string> {
  const started = Date.now();
  let delay = policy.firstMs;
  for (;;) {
    const report = await sp.getReport(reportId);
    switch (report.processingStatus) {
      case 'DONE':
        if (!report.reportDocumentId)
          throw new ReportError('permanent', `Report ${reportId} is DONE without a document`, reportId);
        return report.reportDocumentId;
      case 'FATAL':
        throw new ReportError(
          'permanent',
          `Report ${reportId} (${report.reportType}) ended FATAL at Amazon`,
          reportId,
        );
      case 'CANCELLED':
        throw new ReportError(
          'permanent',
          `Report ${reportId} (${report.reportType}) was cancelled (no data for the range)`,
          reportId,
        );
    }
    const elapsed = Date.now() - started;
    if (elapsed + delay > policy.deadlineMs) {
      throw new ReportError(
        'transient',
        `Report ${reportId} still ${report.processingStatus} after ${Math.round(elapsed / 1000)} s`,
        reportId,
      );
    }
    await wait(delay);
    delay = Math.min(policy.maxMs, delay * 2);
  }
}

/**
 * Downloads a report document and yields its rows one by one, so a large report never has to
 * fit in memory. The presigned URL needs no access token.
 */
export async function* reportRows(
  sp: SpApiClient,
  documentId: string,
  fetcher: typeof fetch = fetch,
): AsyncGenerator<Record<string, string>> {
  const doc = await sp.getReportDocument(documentId);
  let res: Response;
  try {
    res = await fetcher(doc.url);
  } catch (err) {
    throw new AmazonError('transient', `Report document download failed: ${messageOf(err)}`);
  }
  if (!res.ok || !res.body) {
    throw new AmazonError(
      res.status >= 500 || res.status === 403 ? 'transient' : 'permanent',
      `Report document download answered ${res.status}`,
      res.status,
    );
  }
  const bytes = await decompressIfGzip(res.body);
  const lines = streamLines(bytes, lineDecoder(charsetOf(res.headers.get('content-type'))));
  try {
    yield* parseTsv(lines);
  } catch (err) {
    if (err instanceof AmazonError) throw err;
    throw new AmazonError(
      'transient',
      `Report document ${documentId} is corrupt or truncated: ${messageOf(err)}`,
    );
  }
}
