import { describe, expect, it } from 'vitest';
import { connect, control, sp } from './helpers';

const counters = async (sellerId: string) =>
  (await (await control(`/sellers/${sellerId}/counters`)).json()) as Record<string, number>;

describe('rate limits', () => {
  it('spends the official burst, then answers 429 QuotaExceeded, and counts it', async () => {
    const s = await connect();
    // getInventorySummaries: rate 2/s, burst 2.
    const url =
      '/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=ATVPDKIKX0DER&marketplaceIds=ATVPDKIKX0DER';
    const first = await sp(s, url);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-amzn-RateLimit-Limit')).toBe('2');
    expect((await sp(s, url)).status).toBe(200);
    const third = await sp(s, url);
    expect(third.status).toBe(429);
    expect(await third.json()).toEqual({
      errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.' }],
    });
    expect((await counters(s.sellerId))['responses.429.getInventorySummaries']).toBe(1);
    await new Promise((r) => setTimeout(r, 600));
    expect((await sp(s, url)).status).toBe(200);
  });

  it('keeps a separate bucket per operation and per seller', async () => {
    const a = await connect();
    const b = await connect();
    const offers = (s: typeof a) =>
      sp(s, '/products/pricing/v0/items/B07N4M94X4/offers?MarketplaceId=ATVPDKIKX0DER&ItemCondition=New');
    expect((await offers(a)).status).toBe(200);
    expect((await offers(a)).status).toBe(429);
    expect((await offers(b)).status).toBe(200);
    expect((await sp(a, '/sellers/v1/marketplaceParticipations')).status).toBe(200);
  });

  it('sends x-amzn-RateLimit-Limit with the model rate on success and client errors', async () => {
    const s = await connect();
    const ok = await sp(
      s,
      `/orders/2026-01-01/orders?createdAfter=${new Date(Date.now() - 86_400_000).toISOString()}`,
    );
    expect(ok.headers.get('x-amzn-RateLimit-Limit')).toBe('0.0056');
    const bad = await sp(s, '/orders/2026-01-01/orders');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-amzn-RateLimit-Limit')).toBe('0.0056');
    expect(bad.headers.get('x-amzn-RequestId')).toBeTruthy();
  });
});

describe('rate limit modes', () => {
  it('can switch a seller to Amazon sandbox limits, scaled official limits, or none', async () => {
    const s = await connect();
    const url = '/products/pricing/v0/items/B07N4M94X4/offers?MarketplaceId=ATVPDKIKX0DER&ItemCondition=New';
    expect(
      await (await control(`/sellers/${s.sellerId}/rate-limits`, { mode: 'sandbox' }, 'PUT')).json(),
    ).toEqual({ mode: 'sandbox' });
    // Sandbox limits: burst 15, 5 per second. Fired at once, 25 calls get the burst plus whatever
    // refilled while they were in flight (timed, so a loaded machine cannot make this flaky).
    const started = Date.now();
    const statuses = await Promise.all(Array.from({ length: 25 }, async () => (await sp(s, url)).status));
    const refilled = Math.ceil((5 * (Date.now() - started)) / 1000);
    const ok = statuses.filter((x) => x === 200).length;
    expect(ok).toBeGreaterThanOrEqual(15);
    expect(ok).toBeLessThanOrEqual(15 + refilled);
    expect(statuses.filter((x) => x === 429)).toHaveLength(25 - ok);
    await control(`/sellers/${s.sellerId}/rate-limits`, { mode: 'off' }, 'PUT');
    for (let i = 0; i < 5; i++) expect((await sp(s, url)).status).toBe(200);
    await control(`/sellers/${s.sellerId}/rate-limits`, { mode: 'official', scale: 100 }, 'PUT');
    const res = await sp(s, url);
    expect(res.headers.get('x-amzn-RateLimit-Limit')).toBe('50');
    expect((await control(`/sellers/${s.sellerId}/rate-limits`, { mode: 'fast' }, 'PUT')).status).toBe(400);
  });
});

describe('faults', () => {
  it('a 429 storm throttles the next N calls whatever the bucket holds', async () => {
    const s = await connect();
    await control(`/sellers/${s.sellerId}/faults`, { throttleNext: 3 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await sp(s, '/sellers/v1/marketplaceParticipations')).status);
    expect(statuses).toEqual([429, 429, 429, 200]);
    expect((await counters(s.sellerId))['responses.429']).toBe(3);
  });

  it('500 and 503 bursts answer in the SP-API error envelope', async () => {
    const s = await connect();
    await control(`/sellers/${s.sellerId}/faults`, { serverErrorNext: 1, serverErrorStatus: 503 });
    const res = await sp(s, '/sellers/v1/marketplaceParticipations');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ errors: [{ code: 'ServiceUnavailable' }] });
    await control(`/sellers/${s.sellerId}/faults`, { serverErrorNext: 1, serverErrorStatus: 500 });
    expect((await sp(s, '/sellers/v1/marketplaceParticipations')).status).toBe(500);
    expect((await sp(s, '/sellers/v1/marketplaceParticipations')).status).toBe(200);
  });

  it('slow responses wait the configured time', async () => {
    const s = await connect();
    await control(`/sellers/${s.sellerId}/faults`, { slowMs: 300 });
    const t = Date.now();
    expect((await sp(s, '/sellers/v1/marketplaceParticipations')).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(290);
  });

  it('rejects unknown fault names and can clear all faults', async () => {
    const s = await connect();
    expect((await control(`/sellers/${s.sellerId}/faults`, { nope: true })).status).toBe(400);
    await control(`/sellers/${s.sellerId}/faults`, { throttleNext: 5 });
    expect(await (await control(`/sellers/${s.sellerId}/faults`, undefined, 'DELETE')).json()).toEqual({});
    expect((await sp(s, '/sellers/v1/marketplaceParticipations')).status).toBe(200);
  });
});
