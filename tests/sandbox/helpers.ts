import { exports } from 'cloudflare:workers';

export const CLIENT_ID = 'amzn1.application-oa2-client.sandbox';
export const CLIENT_SECRET = 'sandbox-secret';
export const BASE = 'http://sandbox.test';

export const call = (path: string, init?: RequestInit): Promise<Response> =>
  exports.default.fetch(new Request(`${BASE}${path}`, init));

let counter = 0;
/** A fresh seller id per test so no test shares buckets, tokens or faults with another. */
export function freshSellerId(preset = ''): string {
  counter += 1;
  const rand = Math.random().toString(36).slice(2, 8).toUpperCase();
  return `A${preset ? `SBX${preset.toUpperCase()}` : 'T'}${rand}${counter}`
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 20);
}

export async function authorize(
  sellerId: string,
  redirectUri = 'https://app.example.com/cb',
): Promise<string> {
  const url = `/apps/authorize/consent?application_id=amzn1.sp.solution.test&state=s1&version=beta&redirect_uri=${encodeURIComponent(redirectUri)}&selling_partner_id=${sellerId}`;
  const res = await call(url, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`consent answered ${res.status}`);
  const location = new URL(res.headers.get('location')!);
  return location.searchParams.get('spapi_oauth_code')!;
}

export async function tokenRequest(fields: Record<string, string>): Promise<Response> {
  return call('/auth/o2/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

export interface Session {
  sellerId: string;
  accessToken: string;
  refreshToken: string;
}

export async function connect(sellerId = freshSellerId()): Promise<Session> {
  const code = await authorize(sellerId);
  const res = await tokenRequest({
    grant_type: 'authorization_code',
    code,
    redirect_uri: 'https://app.example.com/cb',
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
  });
  const body = (await res.json()) as { access_token: string; refresh_token: string };
  return { sellerId, accessToken: body.access_token, refreshToken: body.refresh_token };
}

export const sp = (s: Session, path: string, init: RequestInit = {}): Promise<Response> =>
  call(path, {
    ...init,
    headers: { 'x-amz-access-token': s.accessToken, ...(init.headers as Record<string, string> | undefined) },
  });

export const control = (
  path: string,
  body?: unknown,
  method = body === undefined ? 'GET' : 'POST',
): Promise<Response> =>
  call(`/_sandbox${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

export async function gunzipBytes(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(
    await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer(),
  );
}

/** Downloads a presigned document URL issued by the sandbox (its origin is the test origin). */
export async function download(url: string): Promise<Response> {
  const u = new URL(url);
  return call(`${u.pathname}${u.search}`);
}

export async function createReport(
  s: Session,
  reportType: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await sp(s, '/reports/2021-06-30/reports', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ reportType, marketplaceIds: ['ATVPDKIKX0DER'], ...extra }),
  });
  if (res.status !== 202) throw new Error(`createReport ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { reportId: string }).reportId;
}

/** Fetches a DONE report's document and returns its text (gunzipped). */
export async function reportText(s: Session, reportId: string): Promise<string> {
  const report = (await (await sp(s, `/reports/2021-06-30/reports/${reportId}`)).json()) as {
    reportDocumentId: string;
  };
  const doc = (await (await sp(s, `/reports/2021-06-30/documents/${report.reportDocumentId}`)).json()) as {
    url: string;
  };
  const res = await download(doc.url);
  return new TextDecoder().decode(await gunzipBytes(new Uint8Array(await res.arrayBuffer())));
}

export const tsv = (text: string): Record<string, string>[] => {
  const [header, ...rows] = text.trimEnd().split('\n');
  const cols = header!.split('\t');
  return rows.map((r) => Object.fromEntries(r.split('\t').map((v, i) => [cols[i]!, v])));
};
