import { type Context, Hono } from 'hono';
import { allEntities, type EntityKind, ID_FIELD, type Overrides, UPDATABLE } from '../ads/entities';
import { type AdsEnv, adsGate, requireMediaType } from '../ads/gate';
import { type AdsReportConfig, adsReportRows, REPORT_TYPES } from '../ads/report-rows';
import { profilesFor } from '../data/ads';
import { decodeToken, encodeToken } from '../data/order-query';
import { encodeCp1252, gzip } from '../lib/encoding';
import { loadSeller } from '../lib/load-seller';
import { presign, verifyPresigned } from '../lib/presign';
import { sellerStub } from '../lib/seller-stub';
import type { StoredAdsReport } from '../state/types';

/** Amazon Ads API: profiles, Sponsored Products v3 entities, reporting v3. */
export const ads = new Hono<AdsEnv>();

ads.get('/v2/profiles', adsGate({ needsScope: false, op: 'profiles' }), (c) => {
  const seller = c.get('seller');
  return c.json(
    profilesFor(seller).map((p) => ({
      profileId: p.profileId,
      countryCode: p.marketplace.countryCode === 'GB' ? 'UK' : p.marketplace.countryCode,
      currencyCode: p.marketplace.currency,
      dailyBudget: 999999999,
      timezone: p.marketplace.region === 'EU' ? 'Europe/London' : 'America/Los_Angeles',
      accountInfo: {
        marketplaceStringId: p.marketplace.id,
        id: seller.id,
        type: 'seller',
        name: seller.storeName,
        validPaymentMethod: true,
      },
    })),
  );
});

const RESOURCES: { path: string; kind: EntityKind; plural: string; media: string }[] = [
  { path: 'campaigns', kind: 'campaign', plural: 'campaigns', media: 'application/vnd.spCampaign.v3+json' },
  { path: 'adGroups', kind: 'adGroup', plural: 'adGroups', media: 'application/vnd.spAdGroup.v3+json' },
  { path: 'keywords', kind: 'keyword', plural: 'keywords', media: 'application/vnd.spKeyword.v3+json' },
  {
    path: 'negativeKeywords',
    kind: 'negativeKeyword',
    plural: 'negativeKeywords',
    media: 'application/vnd.spNegativeKeyword.v3+json',
  },
  {
    path: 'productAds',
    kind: 'productAd',
    plural: 'productAds',
    media: 'application/vnd.spProductAd.v3+json',
  },
];

type Filter = { include?: unknown[] };
const included = (f: unknown): string[] | undefined => {
  const list = (f as Filter | undefined)?.include;
  return Array.isArray(list) ? list.map(String) : undefined;
};

function applyFilters(
  items: Record<string, unknown>[],
  body: Record<string, unknown>,
): Record<string, unknown>[] {
  const filters: [string, string[] | undefined][] = [
    ['campaignId', included(body.campaignIdFilter)],
    ['adGroupId', included(body.adGroupIdFilter)],
    ['keywordId', included(body.keywordIdFilter)],
    ['adId', included(body.adIdFilter)],
    ['state', included(body.stateFilter)],
  ];
  return items.filter((item) =>
    filters.every(
      ([field, values]) =>
        !values || values.length === 0 || !(field in item) || values.includes(String(item[field])),
    ),
  );
}

for (const r of RESOURCES) {
  ads.post(
    `/sp/${r.path}/list`,
    adsGate({ needsScope: true, op: `list.${r.kind}` }),
    requireMediaType(r.media),
    async (c) => {
      const body = await c.req.json<Record<string, unknown>>().catch(() => ({}) as Record<string, unknown>);
      const overrides = (await sellerStub(c.env, c.get('sellerId')).adsOverrides(r.kind)) as Overrides;
      const items = applyFilters(
        allEntities(c.get('seller'), c.get('profile')!.marketplace, r.kind, overrides),
        body,
      );
      const max = typeof body.maxResults === 'number' ? Math.min(Math.max(1, body.maxResults), 5000) : 1000;
      const offset =
        typeof body.nextToken === 'string' ? (decodeToken<{ o: number }>(body.nextToken)?.o ?? 0) : 0;
      return c.json({
        [r.plural]: items.slice(offset, offset + max),
        totalResults: items.length,
        ...(offset + max < items.length ? { nextToken: encodeToken({ o: offset + max }) } : {}),
      });
    },
  );

  ads.put(
    `/sp/${r.path}`,
    adsGate({ needsScope: true, op: `update.${r.kind}` }),
    requireMediaType(r.media),
    async (c) => updateEntities(c, r.kind, r.plural),
  );
}

async function updateEntities(c: Context<AdsEnv>, kind: EntityKind, plural: string): Promise<Response> {
  const body = await c.req.json<Record<string, unknown>>().catch(() => undefined);
  const updates = body?.[plural];
  if (!Array.isArray(updates) || updates.length === 0)
    return c.json({ code: 'INVALID_ARGUMENT', details: `${plural} is required` }, 400);
  const stub = sellerStub(c.env, c.get('sellerId'));
  const mp = c.get('profile')!.marketplace;
  const idField = ID_FIELD[kind];
  const success: Record<string, unknown>[] = [];
  const error: Record<string, unknown>[] = [];
  let overrides = (await stub.adsOverrides(kind)) as Overrides;
  for (const [index, raw] of updates.entries()) {
    const u = raw as Record<string, unknown>;
    const id = String(u[idField] ?? '');
    const existing = allEntities(c.get('seller'), mp, kind, overrides).find((e) => e[idField] === id);
    if (!existing) {
      error.push({
        index,
        errors: [
          {
            errorType: 'entityNotFoundError',
            errorValue: {
              entityNotFoundError: {
                reason: 'ENTITY_NOT_FOUND',
                entityType: kind,
                entityId: id,
                message: `${kind} ${id} not found`,
              },
            },
          },
        ],
      });
      continue;
    }
    const patch: Record<string, unknown> = {};
    let invalid: string | undefined;
    for (const [field, value] of Object.entries(u)) {
      if (field === idField) continue;
      const v =
        field === 'budget' && value && typeof value === 'object'
          ? (value as { budget?: unknown }).budget
          : value;
      const check = UPDATABLE[kind][field];
      if (!check?.(v)) invalid = field;
      else patch[field] = v;
    }
    if (invalid) {
      error.push({
        index,
        errors: [
          {
            errorType: 'malformedValueError',
            errorValue: {
              malformedValueError: {
                reason: 'MALFORMED_VALUE',
                fieldName: invalid,
                message: `Invalid value for ${invalid}`,
              },
            },
          },
        ],
      });
      continue;
    }
    await stub.setAdsOverride(kind, id, patch);
    overrides = (await stub.adsOverrides(kind)) as Overrides;
    const updated = allEntities(c.get('seller'), mp, kind, overrides).find((e) => e[idField] === id)!;
    success.push({ [idField]: id, index, [kind]: updated });
  }
  c.header('Preference-Applied', 'return=representation');
  return c.json({ [plural]: { success, error } }, 207);
}

// --- reporting v3 -------------------------------------------------------------------------

function reportJson(
  r: StoredAdsReport,
  nowMs: number,
  url?: string,
  fileSize?: number,
): Record<string, unknown> {
  const readyMs = r.createdMs + r.readySeconds * 1000;
  // A report is never complete in the create response, however short the configured delay.
  const done = nowMs >= readyMs && url !== undefined;
  return {
    configuration: { ...r.configuration, filters: (r.configuration.filters as unknown) ?? null },
    createdAt: new Date(r.createdMs).toISOString(),
    endDate: r.endDate,
    failureReason: null,
    fileSize: done ? (fileSize ?? null) : null,
    generatedAt: done ? new Date(readyMs).toISOString() : null,
    name: r.name,
    reportId: r.reportId,
    startDate: r.startDate,
    status: done ? 'COMPLETED' : 'PENDING',
    updatedAt: new Date(done ? readyMs : r.createdMs).toISOString(),
    url: done ? (url ?? null) : null,
    urlExpiresAt: done ? new Date(nowMs + 3_600_000).toISOString() : null,
  };
}

ads.post('/reporting/reports', adsGate({ needsScope: true, op: 'createReport' }), async (c) => {
  if (!(c.req.header('content-type') ?? '').includes('application/vnd.createasyncreportrequest.v3+json')) {
    return c.json(
      {
        code: 'UNSUPPORTED_MEDIA_TYPE',
        details: 'Content-Type must be application/vnd.createasyncreportrequest.v3+json',
      },
      415,
    );
  }
  const body = await c.req.json<Record<string, unknown>>().catch(() => undefined);
  const cfg = body?.configuration as Record<string, unknown> | undefined;
  const date = /^\d{4}-\d{2}-\d{2}$/;
  if (
    !body ||
    typeof body.startDate !== 'string' ||
    typeof body.endDate !== 'string' ||
    !date.test(body.startDate) ||
    !date.test(body.endDate) ||
    !cfg
  ) {
    return c.json(
      { code: 'INVALID_ARGUMENT', detail: 'startDate, endDate (YYYY-MM-DD) and configuration are required' },
      400,
    );
  }
  const typeId = String(cfg.reportTypeId ?? '');
  if (cfg.adProduct !== 'SPONSORED_PRODUCTS' || !REPORT_TYPES[typeId]) {
    return c.json(
      {
        code: 'INVALID_ARGUMENT',
        detail: `Unsupported adProduct/reportTypeId: ${String(cfg.adProduct)}/${typeId}`,
      },
      400,
    );
  }
  if (
    cfg.format !== 'GZIP_JSON' ||
    !Array.isArray(cfg.columns) ||
    !Array.isArray(cfg.groupBy) ||
    !['DAILY', 'SUMMARY'].includes(String(cfg.timeUnit))
  ) {
    return c.json(
      {
        code: 'INVALID_ARGUMENT',
        detail: 'configuration needs groupBy, columns, timeUnit (DAILY|SUMMARY) and format GZIP_JSON',
      },
      400,
    );
  }
  if (
    Date.parse(body.endDate) < Date.parse(body.startDate) ||
    Date.parse(body.endDate) - Date.parse(body.startDate) > 31 * 86_400_000
  ) {
    return c.json({ code: 'INVALID_ARGUMENT', detail: 'The date range must be at most 31 days' }, 400);
  }
  const stored = (await sellerStub(c.env, c.get('sellerId')).createAdsReport({
    name: typeof body.name === 'string' ? body.name : 'report',
    startDate: body.startDate,
    endDate: body.endDate,
    configuration: { ...cfg, profileId: c.get('profile')!.profileId },
    createdMs: Date.now(),
    readySeconds: Number(c.env.ADS_REPORT_SECONDS ?? '10'),
  })) as StoredAdsReport;
  const { profileId: _p, ...visible } = stored.configuration;
  return c.json(reportJson({ ...stored, configuration: visible }, stored.createdMs));
});

ads.get('/reporting/reports/:reportId', adsGate({ needsScope: true, op: 'getReport' }), async (c) => {
  const stored = (await sellerStub(c.env, c.get('sellerId')).adsReport(c.req.param('reportId'))) as
    | StoredAdsReport
    | undefined;
  if (!stored || stored.configuration.profileId !== c.get('profile')!.profileId)
    return c.json({ code: 'NOT_FOUND', detail: 'Report not found' }, 404);
  const now = Date.now();
  const url = await presign(
    new URL(c.req.url).origin,
    `/ads-reports-download/${c.get('sellerId')}/${stored.reportId}`,
    c.env.LWA_CLIENT_SECRET,
    now,
  );
  const { profileId: _p, ...visible } = stored.configuration;
  return c.json(reportJson({ ...stored, configuration: visible }, now, url, 1024));
});

/** The "S3" download of an Ads report: a gzip-compressed JSON array of rows. */
export const adsDownloads = new Hono<AdsEnv>();

adsDownloads.get('/ads-reports-download/:sellerId/:reportId', async (c) => {
  const now = Date.now();
  const check = await verifyPresigned(new URL(c.req.url), c.env.LWA_CLIENT_SECRET, now);
  if (check !== 'ok')
    return c.text(check === 'expired' ? 'Request has expired' : 'SignatureDoesNotMatch', 403);
  const sellerId = c.req.param('sellerId');
  const stored = (await sellerStub(c.env, sellerId).adsReport(c.req.param('reportId'))) as
    | StoredAdsReport
    | undefined;
  if (!stored) return c.text('NoSuchKey', 404);
  const { seller, config } = await loadSeller(c.env, sellerId, now);
  const profile = profilesFor(seller).find((p) => p.profileId === stored.configuration.profileId);
  if (!profile) return c.text('NoSuchKey', 404);
  const rows = adsReportRows(
    seller,
    profile.marketplace,
    stored.configuration as unknown as AdsReportConfig,
    stored.startDate,
    stored.endDate,
  );
  const text = JSON.stringify(rows);
  const raw = config.faults.cp1252 ? encodeCp1252(text) : new TextEncoder().encode(text);
  let bytes = config.faults.document === 'NOT_COMPRESSED' ? raw : await gzip(raw);
  if (config.faults.document === 'TRUNCATED_GZIP') bytes = bytes.subarray(0, Math.floor(bytes.length * 0.6));
  return new Response(bytes, {
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
  });
});
