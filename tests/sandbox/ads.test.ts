import { describe, expect, it } from 'vitest';
import { dailyMetrics, profilesFor } from '../../workers/amazon-sandbox/src/data/ads';
import { salesBySku } from '../../workers/amazon-sandbox/src/data/sales';
import { makeSeller } from '../../workers/amazon-sandbox/src/data/seller';
import { ADS_EXTRACT, shape } from './contract';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  call,
  connect,
  control,
  download,
  gunzipBytes,
  type Session,
  tokenRequest,
} from './helpers';

const example = (name: string, exampleName?: string) => {
  const req = ADS_EXTRACT.requests.find((r) => r.name === name)!;
  return (exampleName ? req.examples.find((e) => e.name === exampleName) : req.examples[0])!.responseBody;
};

const ads = (s: Session, path: string, init: RequestInit & { scope?: number; media?: string } = {}) =>
  call(path, {
    ...init,
    headers: {
      authorization: `Bearer ${s.accessToken}`,
      'Amazon-Advertising-API-ClientId': CLIENT_ID,
      ...(init.scope ? { 'Amazon-Advertising-API-Scope': String(init.scope) } : {}),
      ...(init.media ? { 'content-type': init.media, accept: init.media } : {}),
    },
  });

/** Every key of our item has the example's JSON type where the example has that key. */
function sameTypes(ours: unknown, theirs: unknown): string[] {
  const a = shape(ours, 1) as Record<string, unknown>;
  const b = shape(theirs, 1) as Record<string, unknown>;
  return Object.keys(a).filter(
    (k) =>
      k in b &&
      JSON.stringify(a[k]) !== JSON.stringify(b[k]) &&
      !(Array.isArray(a[k]) && Array.isArray(b[k])),
  );
}

async function profile(s: Session, country = 'US'): Promise<number> {
  const list = (await (await ads(s, '/v2/profiles')).json()) as { profileId: number; countryCode: string }[];
  return list.find((p) => p.countryCode === country)!.profileId;
}

describe('Ads API', () => {
  it('grants an Ads code through /ap/oa that LWA exchanges for tokens', async () => {
    const res = await call(
      `/ap/oa?client_id=${CLIENT_ID}&scope=advertising::campaign_management&response_type=code&state=st&redirect_uri=https%3A%2F%2Fapp.example.com%2Fads&seller_id=ASBXSMALLADS1`,
      { redirect: 'manual' },
    );
    expect(res.status).toBe(302);
    const url = new URL(res.headers.get('location')!);
    expect(url.searchParams.get('state')).toBe('st');
    expect(url.searchParams.get('scope')).toBe('advertising::campaign_management');
    const token = await tokenRequest({
      grant_type: 'authorization_code',
      code: url.searchParams.get('code')!,
      redirect_uri: 'https://app.example.com/ads',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    const body = (await token.json()) as { access_token: string };
    const profiles = await call('/v2/profiles', {
      headers: { authorization: `Bearer ${body.access_token}`, 'Amazon-Advertising-API-ClientId': CLIENT_ID },
    });
    expect(((await profiles.json()) as { accountInfo: { id: string } }[])[0]!.accountInfo.id).toBe(
      'ASBXSMALLADS1',
    );
  });

  it('lists one profile per marketplace and requires the client id header', async () => {
    const s = await connect();
    const res = await ads(s, '/v2/profiles');
    const list = (await res.json()) as {
      countryCode: string;
      currencyCode: string;
      accountInfo: { type: string; marketplaceStringId: string };
    }[];
    expect(list.map((p) => `${p.countryCode}:${p.currencyCode}`)).toEqual([
      'US:USD',
      'CA:CAD',
      'MX:MXN',
      'UK:GBP',
    ]);
    expect(list[0]!.accountInfo.type).toBe('seller');
    const noClient = await call('/v2/profiles', { headers: { authorization: `Bearer ${s.accessToken}` } });
    expect(noClient.status).toBe(400);
    expect((await call('/v2/profiles')).status).toBe(401);
  });

  it('requires Amazon-Advertising-API-Scope naming one of the seller profiles', async () => {
    const s = await connect();
    const other = await connect();
    const media = 'application/vnd.spCampaign.v3+json';
    expect((await ads(s, '/sp/campaigns/list', { method: 'POST', media, body: '{}' })).status).toBe(400);
    expect(
      (await ads(s, '/sp/campaigns/list', { method: 'POST', media, body: '{}', scope: await profile(other) }))
        .status,
    ).toBe(403);
    expect(
      (
        await ads(s, '/sp/campaigns/list', {
          method: 'POST',
          body: '{}',
          scope: await profile(s),
          media: 'application/json',
        })
      ).status,
    ).toBe(415);
  });

  it('lists campaigns, ad groups, keywords and negative keywords in the v3 shapes of Amazon examples', async () => {
    const s = await connect();
    const scope = await profile(s);
    const cases = [
      { path: 'campaigns', media: 'application/vnd.spCampaign.v3+json', example: example('List campaigns') },
      { path: 'adGroups', media: 'application/vnd.spAdGroup.v3+json', example: example('List ad groups') },
      { path: 'keywords', media: 'application/vnd.spKeyword.v3+json', example: example('List keywords') },
      {
        path: 'negativeKeywords',
        media: 'application/vnd.spNegativeKeyword.v3+json',
        example: example('List negative keywords'),
      },
      {
        path: 'productAds',
        media: 'application/vnd.spProductAd.v3+json',
        example: example('List product ads'),
      },
    ];
    for (const c of cases) {
      const res = await ads(s, `/sp/${c.path}/list`, {
        method: 'POST',
        media: c.media,
        scope,
        body: JSON.stringify({ maxResults: 5 }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain(c.media);
      const body = (await res.json()) as Record<string, unknown[]>;
      const theirs = c.example as Record<string, unknown[]>;
      expect(
        Object.keys(body)
          .filter((k) => k !== 'nextToken')
          .sort(),
      ).toEqual(Object.keys(theirs).sort());
      expect(sameTypes(body[c.path]![0], theirs[c.path]![0])).toEqual([]);
      const theirKeys = Object.keys(theirs[c.path]![0] as object).filter(
        (k) => !['extendedData', 'endDate', 'premiumBidAdjustment', 'portfolioId'].includes(k),
      );
      expect(Object.keys(body[c.path]![0] as object)).toEqual(expect.arrayContaining(theirKeys));
    }
  });

  it('updates state, bids and budgets (207 multi-status like Amazon)', async () => {
    const s = await connect();
    const scope = await profile(s);
    const kwMedia = 'application/vnd.spKeyword.v3+json';
    const list = (await (
      await ads(s, '/sp/keywords/list', { method: 'POST', media: kwMedia, scope, body: '{}' })
    ).json()) as { keywords: { keywordId: string; bid: number }[] };
    const kw = list.keywords[0]!;
    const upd = await ads(s, '/sp/keywords', {
      method: 'PUT',
      media: kwMedia,
      scope,
      body: JSON.stringify({
        keywords: [
          { keywordId: kw.keywordId, state: 'PAUSED', bid: 0.77 },
          { keywordId: '1', bid: 1 },
        ],
      }),
    });
    expect(upd.status).toBe(207);
    const body = (await upd.json()) as {
      keywords: {
        success: { keyword: Record<string, unknown>; index: number }[];
        error: { index: number }[];
      };
    };
    expect(Object.keys(body.keywords).sort()).toEqual(
      Object.keys((example('Update keywords') as { keywords: object }).keywords).sort(),
    );
    expect(body.keywords.success[0]!.keyword).toMatchObject({ state: 'PAUSED', bid: 0.77 });
    expect(body.keywords.error[0]!.index).toBe(1);
    const again = (await (
      await ads(s, '/sp/keywords/list', {
        method: 'POST',
        media: kwMedia,
        scope,
        body: JSON.stringify({ keywordIdFilter: { include: [kw.keywordId] } }),
      })
    ).json()) as { keywords: { bid: number; state: string }[] };
    expect(again.keywords).toEqual([expect.objectContaining({ bid: 0.77, state: 'PAUSED' })]);

    const cMedia = 'application/vnd.spCampaign.v3+json';
    const campaigns = (await (
      await ads(s, '/sp/campaigns/list', { method: 'POST', media: cMedia, scope, body: '{}' })
    ).json()) as { campaigns: { campaignId: string }[] };
    const cu = await ads(s, '/sp/campaigns', {
      method: 'PUT',
      media: cMedia,
      scope,
      body: JSON.stringify({
        campaigns: [
          {
            campaignId: campaigns.campaigns[0]!.campaignId,
            budget: { budget: 42, budgetType: 'DAILY' },
            state: 'PAUSED',
          },
        ],
      }),
    });
    expect(
      (
        (await cu.json()) as {
          campaigns: { success: { campaign: { budget: { budget: number }; state: string } }[] };
        }
      ).campaigns.success[0]!.campaign,
    ).toMatchObject({ budget: { budget: 42 }, state: 'PAUSED' });
    const nMedia = 'application/vnd.spNegativeKeyword.v3+json';
    const negs = (await (
      await ads(s, '/sp/negativeKeywords/list', { method: 'POST', media: nMedia, scope, body: '{}' })
    ).json()) as { negativeKeywords: { keywordId: string }[] };
    const nu = await ads(s, '/sp/negativeKeywords', {
      method: 'PUT',
      media: nMedia,
      scope,
      body: JSON.stringify({
        negativeKeywords: [{ keywordId: negs.negativeKeywords[0]!.keywordId, state: 'PAUSED' }],
      }),
    });
    expect(nu.status).toBe(207);
  });

  it('runs a reporting v3 report from PENDING to COMPLETED and serves gzip JSON rows tied to sales', async () => {
    const s = await connect();
    const scope = await profile(s);
    const created = await ads(s, '/reporting/reports', {
      method: 'POST',
      scope,
      media: 'application/vnd.createasyncreportrequest.v3+json',
      body: JSON.stringify({
        name: 'SP campaigns',
        startDate: new Date(Date.now() - 8 * 86_400_000).toISOString().slice(0, 10),
        endDate: new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10),
        configuration: {
          adProduct: 'SPONSORED_PRODUCTS',
          groupBy: ['campaign'],
          columns: ['campaignId', 'impressions', 'clicks', 'cost', 'purchases7d', 'sales7d', 'date'],
          reportTypeId: 'spCampaigns',
          timeUnit: 'DAILY',
          format: 'GZIP_JSON',
        },
      }),
    });
    expect(created.status).toBe(200);
    const pending = (await created.json()) as Record<string, unknown>;
    expect(shape(pending, 1)).toEqual(shape(example('Create report'), 1));
    const status = (await (
      await ads(s, `/reporting/reports/${pending.reportId}`, { scope })
    ).json()) as Record<string, unknown>;
    expect(status.status).toBe('COMPLETED');
    expect(Object.keys(status).sort()).toEqual(
      Object.keys(example('Report status', 'Complete status') as object).sort(),
    );
    const file = await download(String(status.url));
    const raw = await gunzipBytes(new Uint8Array(await file.arrayBuffer()));
    const rows = JSON.parse(new TextDecoder().decode(raw)) as {
      campaignId: number;
      cost: number;
      sales7d: number;
      date: string;
    }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(Object.keys(rows[0]!).sort()).toEqual(
      ['campaignId', 'clicks', 'cost', 'date', 'impressions', 'purchases7d', 'sales7d'].sort(),
    );
    // Ground truth: attributed sales never exceed the advertised products' real sales that day.
    const seller = makeSeller(s.sellerId);
    const mp = profilesFor(seller)[0]!.marketplace;
    const day = Math.floor(Date.parse(rows[0]!.date) / 86_400_000);
    const realSales = [...salesBySku(seller, day).entries()]
      .filter(([k]) => k.startsWith(`${mp.id}:`))
      .reduce((t, [, v]) => t + v.cents, 0);
    const adSales = dailyMetrics(seller, mp, day).reduce((t, r) => t + r.sales7dCents, 0);
    expect(adSales).toBeGreaterThan(0);
    expect(adSales).toBeLessThan(realSales);
    const reported = rows.filter((r) => r.date === rows[0]!.date).reduce((t, r) => t + r.sales7d, 0);
    expect(reported).toBeCloseTo(adSales / 100, 0);
  });

  it('answers 429 with Retry-After under a throttling fault', async () => {
    const s = await connect();
    await control(`/sellers/${s.sellerId}/faults`, { throttleNext: 1 });
    const res = await ads(s, '/v2/profiles');
    expect(res.status).toBe(429);
    expect(res.headers.get('Retry-After')).toBe('2');
  });
});
