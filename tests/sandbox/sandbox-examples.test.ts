import { describe, expect, it } from 'vitest';
import { MODELS, type SandboxExample, shapeDifferences, validateResponse } from './contract';
import { CLIENT_ID, CLIENT_SECRET, connect, control, type Session, sp, tokenRequest } from './helpers';

/**
 * Replays the `x-amzn-api-sandbox` static examples of every operation the sandbox serves: the
 * request must be accepted with the same status, and the answer must have the example's top-level
 * shape and validate against the operation's schema.
 */

const SERVED: Record<string, string[]> = {
  sellers: ['getMarketplaceParticipations'],
  ordersV0: ['getOrders', 'getOrder', 'getOrderItems'],
  orders2026: ['searchOrders', 'getOrder'],
  reports: ['createReport', 'getReports', 'getReport', 'getReportDocument'],
  financesV0: [
    'listFinancialEvents',
    'listFinancialEventGroups',
    'listFinancialEventsByGroupId',
    'listFinancialEventsByOrderId',
  ],
  finances2024: ['listTransactions'],
  pricingV0: ['getItemOffers', 'getListingOffers', 'getItemOffersBatch', 'getListingOffersBatch'],
  pricing2022: ['getCompetitiveSummary'],
  catalog: ['getCatalogItem'],
  notifications: ['getDestinations'],
  listings: ['getListingsItem', 'searchListingsItems'],
};

/**
 * Examples whose request means something else against a live API, with the status a live API gives
 * and why. Amazon's static sandbox matches requests literally, so a few of its 400 examples are valid
 * requests. These cases still run: they must get the stated status and a schema-valid body.
 */
const LIVE_BEHAVIOUR: Record<string, { status: number; reason: string }> = {
  'financesV0.listFinancialEvents.400': {
    status: 200,
    reason: 'MaxResultsPerPage=2 alone is a valid request; only the static sandbox rejects it',
  },
  'financesV0.listFinancialEventGroups.400': {
    status: 200,
    reason: 'MaxResultsPerPage=10 alone is a valid request; only the static sandbox rejects it',
  },
  'pricingV0.getItemOffersBatch.400': {
    status: 200,
    reason: 'the request is well-formed; the static sandbox answers 400 by matching it literally',
  },
  'pricingV0.getListingOffersBatch.400': {
    status: 200,
    reason: 'the request is well-formed; the static sandbox answers 400 by matching it literally',
  },
  'listings.getListingsItem.200': {
    status: 400,
    reason: 'the example sends no marketplaceIds, which the model marks required',
  },
  'pricing2022.getCompetitiveSummary.400': {
    status: 200,
    reason: 'a batch answers 200 with a per-item 400 for an invalid ASIN, as the 200 example shows',
  },
};

interface Fixtures {
  sellerId: string;
  orderId: string;
  sku: string;
  reportId: string;
  documentId: string;
  groupId: string;
}

async function fixtures(s: Session): Promise<Fixtures> {
  const day = (await (
    await control(
      `/sellers/${s.sellerId}/orders?date=${new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10)}`,
    )
  ).json()) as { orders: { orderId: string; items: { sku: string }[] }[] };
  const created = (await (
    await sp(s, '/reports/2021-06-30/reports', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA',
        marketplaceIds: ['ATVPDKIKX0DER'],
      }),
    })
  ).json()) as { reportId: string };
  const report = (await (await sp(s, `/reports/2021-06-30/reports/${created.reportId}`)).json()) as {
    reportDocumentId: string;
  };
  const groups = (await (await sp(s, '/finances/v0/financialEventGroups')).json()) as {
    payload: { FinancialEventGroupList: { FinancialEventGroupId: string }[] };
  };
  await control(`/sellers/${s.sellerId}/rate-limits/reset`, {});
  return {
    sellerId: s.sellerId,
    orderId: day.orders[0]!.orderId,
    sku: day.orders[0]!.items[0]!.sku,
    reportId: created.reportId,
    documentId: report.reportDocumentId,
    groupId: groups.payload.FinancialEventGroupList[0]!.FinancialEventGroupId,
  };
}

/** Ids of Amazon's example world are swapped for ids of this seller; literal test-case markers stay. */
function substitute(name: string, value: unknown, success: boolean, f: Fixtures): unknown {
  if (!success || typeof value !== 'string') return value;
  const ids: Record<string, string> = {
    orderId: f.orderId,
    reportId: f.reportId,
    reportDocumentId: f.documentId,
    SellerSKU: f.sku,
    eventGroupId: f.groupId,
    sellerId: f.sellerId,
    sku: f.sku,
  };
  if (ids[name]) return ids[name];
  return value.startsWith('TEST_CASE_200') ? new Date(Date.now() - 2 * 86_400_000).toISOString() : value;
}

function buildRequest(
  path: string,
  method: string,
  params: Record<string, { value: unknown }>,
  pathParams: Set<string>,
  success: boolean,
  f: Fixtures,
): { url: string; init: RequestInit } {
  let url = path;
  const query = new URLSearchParams();
  let body: unknown;
  for (const [name, { value }] of Object.entries(params)) {
    const v = substitute(name, value, success, f);
    if (name === 'body') body = v;
    else if (pathParams.has(name)) url = url.replace(`{${name}}`, encodeURIComponent(String(v)));
    else query.set(name, Array.isArray(v) ? v.join(',') : String(v));
  }
  // Path parameters the example leaves out are filled from this seller's data.
  url = url.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(String(substitute(name, '', true, f) || '')),
  );
  const qs = query.toString();
  return {
    url: qs ? `${url}?${qs}` : url,
    init: {
      method: method.toUpperCase(),
      ...(body !== undefined
        ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
        : {}),
    },
  };
}

const cases: {
  key: string;
  model: string;
  path: string;
  method: string;
  status: string;
  example: SandboxExample;
  pathParams: Set<string>;
}[] = [];
for (const [model, ops] of Object.entries(SERVED)) {
  for (const [path, methods] of Object.entries(MODELS[model]!.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!op.operationId || !ops.includes(op.operationId)) continue;
      const pathParams = new Set(
        [
          ...(op.parameters ?? []),
          ...((methods as { parameters?: { name: string; in: string }[] }).parameters ?? []),
        ]
          .filter((p) => p.in === 'path')
          .map((p) => p.name),
      );
      for (const [status, response] of Object.entries(op.responses)) {
        for (const example of response['x-amzn-api-sandbox']?.static ?? []) {
          cases.push({
            key: `${model}.${op.operationId}.${status}`,
            model,
            path,
            method,
            status,
            example,
            pathParams,
          });
        }
      }
    }
  }
}

describe('Amazon sandbox static examples replay', () => {
  it('finds examples for every served operation', () => {
    const covered = new Set(cases.map((c) => c.key.split('.').slice(0, 2).join('.')));
    for (const [model, ops] of Object.entries(SERVED))
      for (const op of ops) expect(covered, `${model}.${op}`).toContain(`${model}.${op}`);
  });

  for (const [i, c] of cases.entries()) {
    const live = LIVE_BEHAVIOUR[c.key];
    it(`${c.key} #${i}${live ? ` (live API answers ${live.status}: ${live.reason})` : ''}`, async () => {
      let s = await connect();
      if (c.model === 'notifications') {
        const grant = (await (
          await tokenRequest({
            grant_type: 'client_credentials',
            scope: 'sellingpartnerapi::notifications',
            client_id: CLIENT_ID,
            client_secret: CLIENT_SECRET,
          })
        ).json()) as { access_token: string };
        s = { ...s, accessToken: grant.access_token };
      }
      const f = c.model === 'notifications' ? ({} as Fixtures) : await fixtures(s);
      const expectedStatus = live?.status ?? Number(c.status);
      const success = String(expectedStatus).startsWith('2');
      const { url, init } = buildRequest(
        c.path,
        c.method,
        c.example.request.parameters,
        c.pathParams,
        success,
        f,
      );
      const res = await sp(s, url, init);
      const body = await res.json();
      expect(res.status, `${init.method} ${url} -> ${JSON.stringify(body).slice(0, 300)}`).toBe(
        expectedStatus,
      );
      expect(validateResponse(c.model, c.path, c.method, res.status, body)).toEqual([]);
      // The example's shape is only comparable when we answer with the example's status.
      if (!live) {
        expect(shapeDifferences(c.model, c.path, c.method, res.status, body, c.example.response)).toEqual([]);
      }
    });
  }
});
