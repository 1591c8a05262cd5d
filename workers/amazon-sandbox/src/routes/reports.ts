import { type Context, Hono } from 'hono';
import { marketplaceById, OTHER_KNOWN_MARKETPLACES } from '../data/marketplaces';
import { decodeToken, encodeToken } from '../data/order-query';
import { invalidInput, notFound } from '../lib/errors';
import { pageArguments } from '../lib/paging';
import { intParam, listParam } from '../lib/params';
import { presign } from '../lib/presign';
import { sellerStub } from '../lib/seller-stub';
import { type SpEnv, spGate } from '../lib/sp-gate';
import { assessReport, NOT_REQUESTABLE, REPORT_BUILDERS } from '../reports/catalog';
import { parseDocumentId, parseSettlementReportId } from '../reports/ids';
import { type ReportView, requestedReportView, settlementReportViews } from '../reports/views';

/** Reports API 2021-06-30. */
export const reports = new Hono<SpEnv>();

const STATUSES = ['IN_QUEUE', 'IN_PROGRESS', 'DONE', 'FATAL', 'CANCELLED'];

reports.post('/reports/2021-06-30/reports', spGate('createReport'), async (c) => {
  const body = await c.req.json<Record<string, unknown>>().catch(() => undefined);
  if (!body || typeof body.reportType !== 'string') return invalidInput(c, 'reportType is required.');
  const reportType = body.reportType;
  if (NOT_REQUESTABLE.has(reportType))
    return invalidInput(
      c,
      `Report type ${reportType} cannot be requested. Settlement reports are scheduled by Amazon; use getReports.`,
    );
  if (!REPORT_BUILDERS[reportType]) return invalidInput(c, `Invalid reportType ${reportType}.`);
  const marketplaceIds = Array.isArray(body.marketplaceIds)
    ? body.marketplaceIds.filter((m): m is string => typeof m === 'string')
    : [];
  if (marketplaceIds.length === 0) return invalidInput(c, 'marketplaceIds is required.');
  const bad = marketplaceIds.find((m) => !marketplaceById(m) && !OTHER_KNOWN_MARKETPLACES.has(m));
  if (bad) return invalidInput(c, `Invalid marketplaceId ${bad}.`);
  for (const key of ['dataStartTime', 'dataEndTime'] as const) {
    if (
      body[key] !== undefined &&
      (typeof body[key] !== 'string' || Number.isNaN(Date.parse(body[key] as string)))
    ) {
      return invalidInput(c, `${key} must be an ISO 8601 date time.`);
    }
  }
  const faults = c.get('config').faults;
  const requested = {
    reportType,
    marketplaceIds,
    ...(typeof body.dataStartTime === 'string' ? { dataStartTime: body.dataStartTime } : {}),
    ...(typeof body.dataEndTime === 'string' ? { dataEndTime: body.dataEndTime } : {}),
    createdMs: Date.now(),
  };
  const stored = await sellerStub(c.env, c.get('sellerId')).createReport(c.get('sellerId'), {
    ...requested,
    ...assessReport(c.get('seller'), requested, faults.orderReportMaxDays),
    queueSeconds: faults.reportQueueSeconds ?? Number(c.env.REPORT_QUEUE_SECONDS ?? '5'),
    processingSeconds: faults.reportProcessingSeconds ?? Number(c.env.REPORT_PROCESSING_SECONDS ?? '10'),
    ...(body.reportOptions && typeof body.reportOptions === 'object'
      ? { options: body.reportOptions as Record<string, string> }
      : {}),
  });
  return c.json({ reportId: stored.reportId }, 202);
});

async function allReports(c: Context<SpEnv>, nowMs: number): Promise<ReportView[]> {
  const seller = c.get('seller');
  const stored = await sellerStub(c.env, seller.id).reports();
  return [
    ...stored.map((r) => requestedReportView(seller.id, r, nowMs)),
    ...settlementReportViews(seller, nowMs),
  ];
}

type ListToken = {
  t: string[];
  s: string[];
  m: string[];
  since: number;
  until: number;
  o: number;
  n: number;
};

reports.get('/reports/2021-06-30/reports', spGate('getReports'), async (c) => {
  const now = Date.now();
  const token = c.req.query('nextToken');
  let q: ListToken;
  if (token) {
    // The model: "include this token as the only parameter"; anything else fails the request.
    const others = Object.keys(pageArguments(c, 'nextToken'));
    if (others.length > 0)
      return invalidInput(c, `nextToken must be the only parameter; also sent: ${others.sort().join(', ')}.`);
    const t = decodeToken<ListToken>(token);
    if (!t) return invalidInput(c, 'Invalid nextToken.');
    q = t;
  } else {
    const types = listParam(c, 'reportTypes');
    if (types.length === 0) return invalidInput(c, 'reportTypes or nextToken is required.');
    const statuses = listParam(c, 'processingStatuses');
    const badStatus = statuses.find((s) => !STATUSES.includes(s));
    if (badStatus) return invalidInput(c, `Invalid processingStatuses value ${badStatus}.`);
    const pageSize = intParam(c, 'pageSize', 10);
    if (pageSize === undefined || pageSize < 1 || pageSize > 100)
      return invalidInput(c, 'pageSize must be between 1 and 100.');
    const since = c.req.query('createdSince')
      ? Date.parse(c.req.query('createdSince')!)
      : now - 90 * 86_400_000;
    const until = c.req.query('createdUntil') ? Date.parse(c.req.query('createdUntil')!) : now;
    if (Number.isNaN(since) || Number.isNaN(until))
      return invalidInput(c, 'createdSince and createdUntil must be ISO 8601 date times.');
    q = { t: types, s: statuses, m: listParam(c, 'marketplaceIds'), since, until, o: 0, n: pageSize };
  }
  const matching = (await allReports(c, now))
    .filter((r) => q.t.includes(r.reportType) && (q.s.length === 0 || q.s.includes(r.status)))
    .filter((r) => q.m.length === 0 || r.marketplaceIds.some((m) => q.m.includes(m)))
    .filter((r) => r.createdMs >= q.since && r.createdMs <= q.until)
    .sort((a, b) => b.createdMs - a.createdMs);
  const page = matching.slice(q.o, q.o + q.n);
  return c.json({
    reports: page.map((r) => r.body),
    ...(q.o + q.n < matching.length ? { nextToken: encodeToken({ ...q, o: q.o + q.n }) } : {}),
  });
});

async function findReport(
  c: Context<SpEnv>,
  reportId: string,
  nowMs: number,
): Promise<ReportView | undefined> {
  const seller = c.get('seller');
  if (parseSettlementReportId(reportId))
    return settlementReportViews(seller, nowMs).find((r) => r.reportId === reportId);
  const stored = await sellerStub(c.env, seller.id).report(reportId);
  return stored ? requestedReportView(seller.id, stored, nowMs) : undefined;
}

reports.get('/reports/2021-06-30/reports/:reportId', spGate('getReport'), async (c) => {
  const id = c.req.param('reportId');
  if (!/^\d+$/.test(id)) return invalidInput(c, `Invalid reportId ${id}.`);
  const view = await findReport(c, id, Date.now());
  return view ? c.json(view.body) : notFound(c, `Report ${id} not found.`);
});

reports.delete('/reports/2021-06-30/reports/:reportId', spGate('cancelReport'), async (c) => {
  const id = c.req.param('reportId');
  const now = Date.now();
  const view = await findReport(c, id, now);
  if (!view) return notFound(c, `Report ${id} not found.`);
  if (view.status !== 'IN_QUEUE')
    return invalidInput(c, `Report ${id} cannot be cancelled: it is ${view.status}.`);
  await sellerStub(c.env, c.get('sellerId')).cancelReport(id, now);
  return c.body(null, 200);
});

reports.get('/reports/2021-06-30/documents/:reportDocumentId', spGate('getReportDocument'), async (c) => {
  const docId = c.req.param('reportDocumentId');
  const sellerId = c.get('sellerId');
  const reportId = parseDocumentId(sellerId, docId);
  if (!reportId) return invalidInput(c, `Invalid reportDocumentId ${docId}.`);
  const now = Date.now();
  const view = await findReport(c, reportId, now);
  if (view?.status !== 'DONE') return notFound(c, `Report document ${docId} not found.`);
  const origin = new URL(c.req.url).origin;
  const url = await presign(origin, `/documents-download/${sellerId}/${docId}`, c.env.LWA_CLIENT_SECRET, now);
  return c.json({ reportDocumentId: docId, url, compressionAlgorithm: 'GZIP' });
});
