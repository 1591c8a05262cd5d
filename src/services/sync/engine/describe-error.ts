import { AmazonError } from '../../../amazon/errors';
import { AppError, describeError } from '../../../lib/errors';

/** Longest reason kept on a job, an alert or a log line. */
const MAX_REASON = 500;

/**
 * The one text a sync stores (job error, SYNC_FAILED and CREDENTIALS_INVALID alerts) and logs for a
 * failure. Our own errors (Amazon's answers, refusals) carry messages written for the seller and
 * keep them. Anything else goes through `describeError`: above all Drizzle's "Failed query: <sql>
 * params: <values>", whose bound values are the tenant's orders, SKUs and city hashes, becomes the
 * SQLSTATE, constraint, table and the server's message, without the query or any bound value.
 */
export function describeSyncError(err: unknown): string {
  const text = err instanceof AmazonError || err instanceof AppError ? err.message : describeError(err);
  return text.slice(0, MAX_REASON);
}
