import { Hono } from 'hono';
import type { AppBindings } from '../env';
import { encodeCp1252, textStream } from '../lib/encoding';
import { loadSeller } from '../lib/load-seller';
import { verifyPresigned } from '../lib/presign';
import { sellerStub } from '../lib/seller-stub';
import { REPORT_BUILDERS, settlementDocument } from '../reports/catalog';
import { parseDocumentId, parseSettlementReportId } from '../reports/ids';

/** The "S3" side of report documents: presigned, gzip-compressed, with the seller's document faults. */
export const documents = new Hono<AppBindings>();

const s3Error = (code: string, message: string, status: 403 | 404) =>
  new Response(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    {
      status,
      headers: { 'content-type': 'application/xml' },
    },
  );

documents.get('/documents-download/:sellerId/:docId', async (c) => {
  const url = new URL(c.req.url);
  const now = Date.now();
  const check = await verifyPresigned(url, c.env.LWA_CLIENT_SECRET, now);
  if (check === 'expired') return s3Error('AccessDenied', 'Request has expired', 403);
  if (check === 'invalid')
    return s3Error(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
      403,
    );
  const sellerId = c.req.param('sellerId');
  const reportId = parseDocumentId(sellerId, c.req.param('docId'));
  if (!reportId) return s3Error('NoSuchKey', 'The specified key does not exist.', 404);
  const { seller, config } = await loadSeller(c.env, sellerId, now);
  let chunks: Iterable<string> | undefined;
  if (parseSettlementReportId(reportId)) {
    const text = settlementDocument(seller, reportId, now);
    chunks = text === undefined ? undefined : [text];
  } else {
    const report = await sellerStub(c.env, sellerId).report(reportId);
    const builder = report && REPORT_BUILDERS[report.reportType];
    if (report && builder) chunks = builder(seller, report);
  }
  if (chunks === undefined) return s3Error('NoSuchKey', 'The specified key does not exist.', 404);
  const faults = config.faults;
  const encode = (text: string) => (faults.cp1252 ? encodeCp1252(text) : new TextEncoder().encode(text));
  const headers = {
    'content-type':
      faults.document === 'NOT_COMPRESSED'
        ? `text/plain;charset=${faults.cp1252 ? 'Cp1252' : 'UTF-8'}`
        : 'application/octet-stream',
  };
  // No Content-Encoding: like S3, the body is the stored gzip object, so clients must gunzip it themselves.
  let body = textStream(chunks, encode);
  if (faults.document !== 'NOT_COMPRESSED') body = body.pipeThrough(new CompressionStream('gzip'));
  if (faults.document === 'TRUNCATED_GZIP') {
    const bytes = new Uint8Array(await new Response(body).arrayBuffer());
    return new Response(bytes.subarray(0, Math.max(10, Math.floor(bytes.length * 0.6))), { headers });
  }
  return new Response(body, { headers });
});
