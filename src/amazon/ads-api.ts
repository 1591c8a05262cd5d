import { messageOf } from '../lib/errors';
import { AmazonError, ReportError } from './errors';
import {
  type AccessTokenSource,
  buildUrl,
  callWithRetries,
  DEFAULT_RETRY,
  type QuotaGate,
  type RetryPolicy,
  sleep,
} from './http';
import type { Priority } from './quota';
import type { PollPolicy } from './reports';

export interface AdsProfile {
  profileId: number | string;
  countryCode?: string;
  currencyCode?: string;
  timezone?: string;
  accountInfo?: { marketplaceStringId?: string; id?: string; type?: string; name?: string };
}

export interface AdsCampaign {
  campaignId: string;
  name: string;
  state: string;
  targetingType?: string;
  budget?: { budget?: number; budgetType?: string };
  startDate?: string;
  endDate?: string;
}

export interface AdsAdGroup {
  adGroupId: string;
  campaignId: string;
  name: string;
  state: string;
  defaultBid?: number;
}

export interface AdsKeyword {
  keywordId: string;
  campaignId: string;
  adGroupId?: string;
  keywordText: string;
  matchType?: string;
  state: string;
  bid?: number;
}

export interface AdsProductAd {
  adId: string;
  campaignId: string;
  adGroupId: string;
  asin?: string;
  sku?: string;
  state: string;
}

export interface AdsConfig {
  baseUrl: string;
  clientId: string;
  tokens: AccessTokenSource;
  gate: QuotaGate;
  priority: Priority;
  policy?: RetryPolicy;
  fetcher?: typeof fetch;
  wait?: (ms: number) => Promise<void>;
}

const LIST_TYPES = {
  campaigns: 'application/vnd.spCampaign.v3+json',
  adGroups: 'application/vnd.spAdGroup.v3+json',
  keywords: 'application/vnd.spKeyword.v3+json',
  negativeKeywords: 'application/vnd.spNegativeKeyword.v3+json',
  productAds: 'application/vnd.spProductAd.v3+json',
} as const;

/** Amazon Ads API: profiles, Sponsored Products v3 lists, reporting v3. Throttling answers 429 + Retry-After. */
export class AdsApiClient {
  constructor(readonly config: AdsConfig) {}

  private async call<R>(
    operation: string,
    req: { method?: string; path: string; body?: unknown; profileId?: string; mediaType?: string },
  ): Promise<R> {
    const doFetch = this.config.fetcher ?? fetch;
    const res = await callWithRetries({
      operation: `ads:${operation}`,
      priority: this.config.priority,
      gate: this.config.gate,
      policy: this.config.policy ?? DEFAULT_RETRY,
      tokens: this.config.tokens,
      ...(this.config.wait ? { wait: this.config.wait } : {}),
      send: (token, signal) =>
        doFetch(buildUrl(this.config.baseUrl, req.path), {
          method: req.method ?? 'GET',
          signal,
          headers: {
            authorization: `Bearer ${token}`,
            'amazon-advertising-api-clientid': this.config.clientId,
            ...(req.profileId ? { 'amazon-advertising-api-scope': req.profileId } : {}),
            accept: req.mediaType ?? 'application/json',
            ...(req.body !== undefined ? { 'content-type': req.mediaType ?? 'application/json' } : {}),
          },
          ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
        }),
    });
    // Typed by the caller from Amazon's documented response for this path; bodies are not validated.
    return (await res.json()) as R;
  }

  profiles(): Promise<AdsProfile[]> {
    return this.call('profiles', { path: '/v2/profiles' });
  }

  /** One of the Sponsored Products v3 `/sp/<resource>/list` calls, all pages (nextToken in the body). */
  async list<K extends keyof typeof LIST_TYPES, T>(profileId: string, resource: K): Promise<T[]> {
    const out: T[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call<Record<string, unknown> & { nextToken?: string }>(`${resource}.list`, {
        method: 'POST',
        path: `/sp/${resource}/list`,
        profileId,
        mediaType: LIST_TYPES[resource],
        body: { maxResults: 1000, ...(nextToken ? { nextToken } : {}) },
      });
      // The list's items sit under the resource's own key (`campaigns`, `keywords`…), typed by the caller.
      out.push(...((page[resource] as T[] | undefined) ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  }

  /** Reporting v3: create, poll until COMPLETED, download the gzipped JSON rows. */
  async report(
    profileId: string,
    body: { name: string; startDate: string; endDate: string; configuration: Record<string, unknown> },
    poll: PollPolicy,
  ): Promise<Record<string, unknown>[]> {
    const wait = this.config.wait ?? sleep;
    const created = await this.call<{ reportId: string }>('reports.create', {
      method: 'POST',
      path: '/reporting/reports',
      profileId,
      mediaType: 'application/vnd.createasyncreportrequest.v3+json',
      body,
    });
    const started = Date.now();
    let delay = poll.firstMs;
    for (;;) {
      const status = await this.call<{ status: string; url?: string; failureReason?: string }>(
        'reports.get',
        {
          path: `/reporting/reports/${encodeURIComponent(created.reportId)}`,
          profileId,
        },
      );
      if (status.status === 'COMPLETED' && status.url)
        return downloadJsonGzip(status.url, this.config.fetcher ?? fetch);
      if (status.status === 'FAILED')
        throw new ReportError(
          'permanent',
          `Ads report ${created.reportId} failed: ${status.failureReason ?? 'no reason given'}`,
          created.reportId,
        );
      if (Date.now() - started + delay > poll.deadlineMs)
        throw new ReportError(
          'transient',
          `Ads report ${created.reportId} still ${status.status} at the deadline`,
          created.reportId,
        );
      await wait(delay);
      delay = Math.min(poll.maxMs, delay * 2);
    }
  }
}

async function downloadJsonGzip(url: string, doFetch: typeof fetch): Promise<Record<string, unknown>[]> {
  const res = await doFetch(url);
  if (!res.ok || !res.body)
    throw new AmazonError('transient', `Ads report download answered ${res.status}`, res.status);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
  try {
    const text = gz
      ? await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text()
      : new TextDecoder().decode(bytes);
    // Report rows are a JSON array of the requested columns; the mapper checks each field it reads.
    return JSON.parse(text) as Record<string, unknown>[];
  } catch (err) {
    throw new AmazonError('transient', `Ads report document is corrupt: ${messageOf(err)}`);
  }
}
