import { messageOf } from '../lib/errors';
import {
  charsetOf,
  decompressIfGzip,
  lineDecoder,
  parseTsv,
  streamLines,
  UnexpectedHeaderError,
} from './documents';
import { AmazonError, ReportError } from './errors';
import { sleep } from './http';
import type { SpApiClient } from './sp-api';
import type { Report } from './sp-types';

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

/**
 * A report that reached its end: DONE with its document, or CANCELLED, which Amazon does when it
 * has no data for the request (a new seller, a marketplace without sales): no document, no rows.
 */
export interface FinishedReport {
  report: Report;
  /** null when Amazon cancelled the report for want of data. */
  documentId: string | null;
}

/** Polls with backoff until DONE or CANCELLED; FATAL fails, a deadline stops endless IN_QUEUE. */
export async function waitForReport(
  sp: SpApiClient,
  reportId: string,
  policy: PollPolicy = DEFAULT_POLL,
  wait: (ms: number) => Promise<void> = sleep,
): Promise<FinishedReport> {
  const started = Date.now();
  let delay = policy.firstMs;
  for (;;) {
    const report = await sp.getReport(reportId);
    switch (report.processingStatus) {
      case 'DONE':
        if (!report.reportDocumentId)
          throw new ReportError('permanent', `Report ${reportId} is DONE without a document`, reportId);
        return { report, documentId: report.reportDocumentId };
      case 'CANCELLED':
        return { report, documentId: null };
      case 'FATAL':
        throw new ReportError(
          'permanent',
          `Report ${reportId} (${report.reportType}) ended FATAL at Amazon`,
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

/** A flat-file report: its name (for errors) and the columns its first line must hold. */
export interface ReportFormat {
  name: string;
  columns: readonly string[];
}

/**
 * Downloads a report document and yields its rows one by one, so a large report never has to
 * fit in memory. The presigned URL needs no access token. A document whose first line is not the
 * report's header (Amazon answers some requests with a one-line message in place of the report)
 * fails for good, naming what it read: it must never pass as a report with no rows.
 */
export async function* reportRows(
  sp: SpApiClient,
  documentId: string,
  format: ReportFormat,
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
    yield* parseTsv(lines, format.columns);
  } catch (err) {
    if (err instanceof AmazonError) throw err;
    if (err instanceof UnexpectedHeaderError)
      throw new AmazonError(
        'permanent',
        `Report document ${documentId} is not a ${format.name} report: ${err.message}`,
      );
    throw new AmazonError(
      'transient',
      `Report document ${documentId} is corrupt or truncated: ${messageOf(err)}`,
    );
  }
}
