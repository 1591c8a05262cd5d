import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { type SyncJob, syncJobs } from '../../src/db/schema';
import type { AppEnv } from '../../src/env';
import { createLogger } from '../../src/lib/logger';
import type { ServiceContext } from '../../src/services/context';
import { FINAL_STATUSES } from '../../src/services/sync/engine/jobs';
import { messageFor } from '../../src/services/sync/engine/queue';
import { type JobOutcome, runSyncJob } from '../../src/services/sync/run-job';
import { api, createTenant, type TestTenant, type TestUser, testDb } from './harness';

export const SANDBOX = (env as unknown as { SPAPI_BASE_URL: string }).SPAPI_BASE_URL;

/** The test Worker's bindings as the app sees them. */
export const appEnv: AppEnv = env;

/** What a queue consumer or cron hands the services: the test database, the bindings, a logger. */
export function serviceContext(): ServiceContext {
  return { db: testDb(), env: appEnv, logger: createLogger(appEnv.LOG_LEVEL) };
}
export const REDIRECT = 'https://app.sellerpulse.test/amazon/callback';
export const US = 'ATVPDKIKX0DER';

let n = 0;
/** A fresh sandbox seller per test (own data, buckets, tokens and faults). TINY: 5 products, 30 days. */
export function freshSeller(preset: 'TINY' | 'SMALL' = 'TINY'): string {
  n += 1;
  const rand = Math.random()
    .toString(36)
    .slice(2, 8)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, 'X');
  return `ASBX${preset}${rand}${n}`.slice(0, 20);
}

export const sandbox = (path: string, init?: RequestInit) => fetch(`${SANDBOX}${path}`, init);

/** An SP-API call straight to the sandbox with a seller's access token (ground truth). */
export async function sp<T>(token: string, path: string, init: RequestInit = {}): Promise<T> {
  const res = await sandbox(path, {
    ...init,
    headers: {
      'x-amz-access-token': token,
      'content-type': 'application/json',
      ...(init.headers as Record<string, string>),
    },
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

export async function control<T = unknown>(path: string, body?: unknown, method?: string): Promise<T> {
  const res = await sandbox(`/_sandbox${path}`, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`sandbox control ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Walks Seller Central's consent step like a browser and returns the spapi_oauth_code. */
export async function consentCode(sellerId: string, redirectUri = REDIRECT): Promise<string> {
  const url = `/apps/authorize/consent?application_id=amzn1.sp.solution.sandbox&state=s&version=beta&redirect_uri=${encodeURIComponent(redirectUri)}&selling_partner_id=${sellerId}`;
  const res = await sandbox(url, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`consent answered ${res.status}`);
  return new URL(res.headers.get('location')!).searchParams.get('spapi_oauth_code')!;
}

/** A sandbox LWA refresh token for a seller (as our app would get it), for ground-truth calls. */
export async function sellerAccessToken(sellerId: string): Promise<string> {
  const code = await consentCode(sellerId);
  const res = await sandbox('/auth/o2/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: 'amzn1.application-oa2-client.sandbox',
      client_secret: 'sandbox-secret',
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

export interface ConsentResult {
  authorizationCode: string;
  state: string;
  sellingPartnerId: string;
}

/**
 * The consent flow as our frontend runs it: the consent URL (with its state) from our API, then
 * Seller Central's redirect back, whose code, state and selling_partner_id go to connect.
 */
export async function consentFlow(
  as: TestUser,
  sellerId: string,
  redirectUri = REDIRECT,
): Promise<ConsentResult> {
  const res = await api(
    `/api/auth/connect-amazon/consent-url?redirectUri=${encodeURIComponent(redirectUri)}`,
    { as },
  );
  if (res.status !== 200) throw new Error(`consent-url answered ${res.status}: ${await res.text()}`);
  const consent = new URL(((await res.json()) as { url: string }).url);
  consent.searchParams.set('selling_partner_id', sellerId);
  const redirect = await sandbox(`${consent.pathname}${consent.search}`, { redirect: 'manual' });
  if (redirect.status !== 302) throw new Error(`consent answered ${redirect.status}`);
  const back = new URL(redirect.headers.get('location')!).searchParams;
  return {
    authorizationCode: back.get('spapi_oauth_code')!,
    state: back.get('state')!,
    sellingPartnerId: back.get('selling_partner_id')!,
  };
}

export interface Connected {
  tenant: TestTenant;
  sellerId: string;
  jobs: { jobId: string; type: string }[];
  body: Record<string, unknown>;
}

/** A tenant connected to a fresh sandbox seller through the real endpoint. */
export async function connectTenant(
  options: { sellerId?: string; marketplaceIds?: string[]; plan?: TestTenant['plan'] } = {},
): Promise<Connected> {
  const tenant = await createTenant({ plan: options.plan ?? 'PRO' });
  const sellerId = options.sellerId ?? freshSeller();
  const res = await api('/api/auth/connect-amazon', {
    method: 'POST',
    as: tenant.owner,
    json: {
      ...(await consentFlow(tenant.owner, sellerId)),
      redirectUri: REDIRECT,
      marketplaceIds: options.marketplaceIds ?? [US],
      region: 'na',
    },
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`connect answered ${res.status}: ${JSON.stringify(body)}`);
  return { tenant, sellerId, jobs: body.jobs as Connected['jobs'], body };
}

export async function jobRow(tenantId: string, jobId: string): Promise<SyncJob> {
  const [row] = await testDb()
    .select()
    .from(syncJobs)
    .where(and(eq(syncJobs.id, jobId), eq(syncJobs.tenantId, tenantId)));
  return row!;
}

const isFinal = (status: SyncJob['status']) => FINAL_STATUSES.some((s) => s === status);

/**
 * Drives a job to its end: runs it here when it is free, otherwise waits for whoever claimed it
 * (the queue consumer may have picked the message up first). Retries are run at once.
 */
export async function settle(
  tenantId: string,
  jobId: string,
  opts: { maxAttempts?: number } = {},
): Promise<{ job: SyncJob; outcomes: JobOutcome[] }> {
  const outcomes: JobOutcome[] = [];
  const deadline = Date.now() + 25_000;
  let attempt = 1;
  for (;;) {
    const job = await jobRow(tenantId, jobId);
    if (isFinal(job.status)) return { job, outcomes };
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status}: ${job.errorMessage}`);
    if (job.status === 'queued') {
      const outcome = await runSyncJob(serviceContext(), messageFor(job), {
        attempt: attempt++,
        maxAttempts: opts.maxAttempts ?? 5,
      });
      outcomes.push(outcome);
      continue;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function settleAll(tenantId: string, jobIds: string[]) {
  const out = [];
  for (const id of jobIds) out.push(await settle(tenantId, id));
  return out;
}

/** Connects and waits for the connection's own jobs, so a test's faults only meet its own job. */
export async function connectSettled(options: Parameters<typeof connectTenant>[0] = {}): Promise<Connected> {
  const c = await connectTenant(options);
  for (const j of c.jobs) await settle(c.tenant.id, j.jobId);
  return c;
}
