import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client';
import { createJobs } from '../../src/services/sync/engine/jobs';
import { api, testDb } from './harness';
import {
  connectTenant,
  consentCode,
  control,
  freshSeller,
  REDIRECT,
  sellerAccessToken,
  settle,
  sp,
  US,
} from './sync-helpers';

async function gunzipText(res: Response): Promise<string> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes[0] !== 0x1f) return new TextDecoder().decode(bytes);
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
}

/** The merchant listings report read straight from the sandbox (ground truth for FBM stock). */
async function listingsTruth(token: string): Promise<Record<string, string>[]> {
  const { reportId } = await sp<{ reportId: string }>(token, '/reports/2021-06-30/reports', {
    method: 'POST',
    body: JSON.stringify({ reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: [US] }),
  });
  let docId: string | undefined;
  while (!docId)
    docId = (await sp<{ reportDocumentId?: string }>(token, `/reports/2021-06-30/reports/${reportId}`))
      .reportDocumentId;
  const doc = await sp<{ url: string }>(token, `/reports/2021-06-30/documents/${docId}`);
  const [header, ...lines] = (await gunzipText(await fetch(doc.url))).trim().split('\n');
  const cols = header!.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])));
}

/** Every charge, fee and promotion amount of listFinancialEvents over a posted range (ground truth). */
async function truthV0Amounts(token: string, args: string): Promise<{ count: number; cents: number }> {
  let truthCents = 0;
  let truthCount = 0;
  let next: string | undefined;
  const add = (m?: { CurrencyAmount?: number }) => {
    truthCents += Math.round((m?.CurrencyAmount ?? 0) * 100);
    truthCount++;
  };
  do {
    // Later pages repeat the first call's arguments with the token, as the model asks.
    const q = next ? `${args}&NextToken=${encodeURIComponent(next)}` : args;
    type Item = {
      ItemChargeList?: { ChargeAmount: { CurrencyAmount: number } }[];
      ItemFeeList?: { FeeAmount: { CurrencyAmount: number } }[];
      PromotionList?: { PromotionAmount: { CurrencyAmount: number } }[];
      ItemChargeAdjustmentList?: { ChargeAmount: { CurrencyAmount: number } }[];
      ItemFeeAdjustmentList?: { FeeAmount: { CurrencyAmount: number } }[];
      PromotionAdjustmentList?: { PromotionAmount: { CurrencyAmount: number } }[];
      ItemTaxWithheldList?: { TaxesWithheld: { ChargeAmount: { CurrencyAmount: number } }[] }[];
    };
    const page = await sp<{
      payload: {
        NextToken?: string;
        FinancialEvents: {
          ShipmentEventList: { ShipmentItemList: Item[] }[];
          RefundEventList: { ShipmentItemAdjustmentList: Item[] }[];
          ProductAdsPaymentEventList: { transactionValue: { CurrencyAmount: number } }[];
        };
      };
    }>(token, `/finances/v0/financialEvents?${q}`);
    const fe = page.payload.FinancialEvents;
    for (const e of fe.ShipmentEventList)
      for (const i of e.ShipmentItemList) {
        for (const c of i.ItemChargeList ?? []) add(c.ChargeAmount);
        for (const f of i.ItemFeeList ?? []) add(f.FeeAmount);
        for (const p of i.PromotionList ?? []) add(p.PromotionAmount);
        for (const w of i.ItemTaxWithheldList ?? []) for (const t of w.TaxesWithheld) add(t.ChargeAmount);
      }
    for (const e of fe.RefundEventList)
      for (const i of e.ShipmentItemAdjustmentList) {
        for (const c of i.ItemChargeAdjustmentList ?? []) add(c.ChargeAmount);
        for (const f of i.ItemFeeAdjustmentList ?? []) add(f.FeeAmount);
        for (const p of i.PromotionAdjustmentList ?? []) add(p.PromotionAmount);
        for (const w of i.ItemTaxWithheldList ?? []) for (const t of w.TaxesWithheld) add(t.ChargeAmount);
      }
    for (const a of fe.ProductAdsPaymentEventList) add(a.transactionValue);
    next = page.payload.NextToken;
  } while (next);
  return { count: truthCount, cents: truthCents };
}

/** Fee lines of every ServiceFee transaction in a posted range (listTransactions, every page). */
async function truthServiceFees(token: string, args: string): Promise<number> {
  type Breakdown = { breakdowns?: Breakdown[] };
  let lines = 0;
  let next: string | undefined;
  do {
    const page = await sp<{
      payload: { transactions: (Breakdown & { transactionType: string })[]; nextToken?: string };
    }>(
      token,
      `/finances/2024-06-19/transactions?${args}${next ? `&nextToken=${encodeURIComponent(next)}` : ''}`,
    );
    for (const t of page.payload.transactions.filter((x) => x.transactionType === 'ServiceFee'))
      for (const b of t.breakdowns ?? []) lines += b.breakdowns?.length || 1;
    next = page.payload.nextToken;
  } while (next);
  return lines;
}

interface FbaSummary {
  asin: string;
  sellerSku: string;
  inventoryDetails: { fulfillableQuantity: number };
}

/** Every FBA summary of the US marketplace, page after page with the same arguments (ground truth). */
async function truthFbaSummaries(token: string): Promise<{ summaries: FbaSummary[]; pages: number }> {
  const args = `details=true&granularityType=Marketplace&granularityId=${US}&marketplaceIds=${US}`;
  const summaries: FbaSummary[] = [];
  let pages = 0;
  let next: string | undefined;
  do {
    const page = await sp<{
      payload: { inventorySummaries: FbaSummary[] };
      pagination?: { nextToken: string };
    }>(token, `/fba/inventory/v1/summaries?${args}${next ? `&nextToken=${encodeURIComponent(next)}` : ''}`);
    summaries.push(...page.payload.inventorySummaries);
    pages += 1;
    next = page.pagination?.nextToken;
  } while (next);
  return { summaries, pages };
}

/** A TINY seller with 200 products, so FBA summaries take several pages of 50. */
async function sellerWithManyProducts(): Promise<string> {
  const sellerId = freshSeller();
  await control(`/sellers/${sellerId}/size`, { products: 200 }, 'PUT');
  return sellerId;
}

describe('FBA inventory paging: tokens last 30 seconds', () => {
  it('an expired page token restarts the listing; the stock then equals every page of the sandbox', async () => {
    const sellerId = await sellerWithManyProducts();
    await control(`/sellers/${sellerId}/faults`, { expireInventoryTokens: 1 });
    const { tenant, jobs } = await connectTenant({ sellerId });
    const { job, outcomes } = await settle(tenant.id, jobs.find((j) => j.type === 'inventory')!.jobId);
    expect(outcomes.map((o) => o.action)).not.toContain('retry');
    expect(job.status).toBe('success');
    const calls = (await control<Record<string, number>>(`/sellers/${sellerId}/counters`))[
      'requests.getInventorySummaries'
    ];
    // Ground truth is read without Amazon's rate limits (the sync is done).
    await control(`/sellers/${sellerId}/rate-limits`, { mode: 'off' }, 'PUT');
    const truth = await truthFbaSummaries(await sellerAccessToken(sellerId));
    expect(truth.pages).toBeGreaterThanOrEqual(2);
    // One first page whose token had expired, then the whole listing again.
    expect(calls).toBe(2 + truth.pages);
    const products = await queryRows<{ asin: string; fba_stock: number }>(
      testDb(),
      sql`SELECT asin, fba_stock FROM products WHERE tenant_id = ${tenant.id} AND marketplace_id = ${US} AND fulfillment_channel = 'FBA'`,
    );
    expect(products.length).toBe(truth.summaries.length);
    const stock = new Map(products.map((p) => [p.asin, p.fba_stock]));
    for (const s of truth.summaries)
      expect(stock.get(s.asin), s.asin).toBe(s.inventoryDetails.fulfillableQuantity);
  });

  it('a token that keeps expiring: the listing is read three times, then the attempt fails with the reason', async () => {
    const sellerId = await sellerWithManyProducts();
    await control(`/sellers/${sellerId}/faults`, { expireInventoryTokens: 100 });
    const { tenant, jobs } = await connectTenant({ sellerId });
    const { job } = await settle(tenant.id, jobs.find((j) => j.type === 'inventory')!.jobId, {
      maxAttempts: 1,
    });
    expect(job.status).toBe('failed');
    expect(job.errorMessage).toMatch(
      /getInventorySummaries: the page token expired .*gave up after 1 attempts/,
    );
    const counters = await control<Record<string, number>>(`/sellers/${sellerId}/counters`);
    expect(counters['requests.getInventorySummaries']).toBe(6);
  });
});

describe('inventory, pricing, finance and ads syncs against the sandbox', () => {
  it('inventory: FBA summaries and FBM listings give the sandbox stock, with a daily snapshot; re-run duplicates nothing', async () => {
    const { tenant, sellerId, jobs } = await connectTenant();
    const { job } = await settle(tenant.id, jobs.find((j) => j.type === 'inventory')!.jobId);
    expect(job.status).toBe('success');
    const token = await sellerAccessToken(sellerId);
    const summaries = await sp<{
      payload: {
        inventorySummaries: {
          asin: string;
          sellerSku: string;
          inventoryDetails: { fulfillableQuantity: number };
        }[];
      };
    }>(
      token,
      `/fba/inventory/v1/summaries?details=true&granularityType=Marketplace&granularityId=${US}&marketplaceIds=${US}`,
    );
    const listings = await listingsTruth(token);
    const products = await queryRows<{
      asin: string;
      sku: string;
      fba_stock: number;
      fbm_stock: number;
      total_stock: number;
      fulfillment_channel: string;
    }>(
      testDb(),
      sql`SELECT asin, sku, fba_stock, fbm_stock, total_stock, fulfillment_channel FROM products WHERE tenant_id = ${tenant.id} AND marketplace_id = ${US}`,
    );
    expect(products.length).toBe(listings.length);
    for (const s of summaries.payload.inventorySummaries) {
      const p = products.find((x) => x.asin === s.asin)!;
      expect(p.fba_stock, s.asin).toBe(s.inventoryDetails.fulfillableQuantity);
      expect(p.fulfillment_channel).toBe('FBA');
    }
    for (const l of listings.filter((x) => x['fulfillment-channel'] === 'DEFAULT')) {
      const p = products.find((x) => x.sku === l['seller-sku'])!;
      expect(p.fbm_stock, l['seller-sku']).toBe(Number(l.quantity));
      expect(p.fulfillment_channel).toBe('FBM');
    }
    const snapshot = async () =>
      queryRows<{ n: number; total: number }>(
        testDb(),
        sql`SELECT count(*)::int AS n, coalesce(sum(total), 0)::int AS total FROM inventory_history WHERE tenant_id = ${tenant.id}`,
      );
    const first = await snapshot();
    expect(Number(first[0]!.n)).toBe(products.length);
    const [again] = await createJobs(testDb(), [
      { tenantId: tenant.id, type: 'inventory', trigger: 'manual', priority: 'high' },
    ]);
    expect((await settle(tenant.id, again!.id)).job.status).toBe('success');
    expect(await snapshot()).toEqual(first);
  });

  it('inventory raises a low-stock alert once per product', async () => {
    const { tenant, jobs } = await connectTenant();
    await settle(tenant.id, jobs.find((j) => j.type === 'inventory')!.jobId);
    await testDb().execute(
      sql`UPDATE products SET min_stock_alert = total_stock + 5, max_stock = total_stock + 50 WHERE tenant_id = ${tenant.id}`,
    );
    for (let i = 0; i < 2; i++) {
      const [job] = await createJobs(testDb(), [
        { tenantId: tenant.id, type: 'inventory', trigger: 'manual', priority: 'high' },
      ]);
      await settle(tenant.id, job!.id);
    }
    const alerts = await queryRows<{ n: number; p: number }>(
      testDb(),
      sql`SELECT count(*)::int AS n, (SELECT count(*)::int FROM products WHERE tenant_id = ${tenant.id}) AS p FROM alerts WHERE tenant_id = ${tenant.id} AND type IN ('STOCK_LOW','STOCK_OUT') AND status = 'active'`,
    );
    expect(Number(alerts[0]!.n)).toBe(Number(alerts[0]!.p));
  });

  it('pricing: offers and buy box per product, price history, competitor offers; a lost buy box alerts', async () => {
    const { tenant, sellerId, jobs } = await connectTenant();
    await settle(tenant.id, jobs.find((j) => j.type === 'inventory')!.jobId);
    const [job] = await createJobs(testDb(), [
      { tenantId: tenant.id, type: 'pricing', trigger: 'manual', priority: 'high' },
    ]);
    const { job: done } = await settle(tenant.id, job!.id);
    expect(done.status).toBe('success');
    const token = await sellerAccessToken(sellerId);
    const products = await queryRows<{ asin: string; buy_box_status: string; buy_box_price: string | null }>(
      testDb(),
      sql`SELECT asin, buy_box_status, buy_box_price::text FROM products WHERE tenant_id = ${tenant.id} AND is_active`,
    );
    expect(products.length).toBeGreaterThan(0);
    let lost = 0;
    for (const p of products) {
      const truth = await sp<{
        payload: { Offers: { SellerId: string; IsBuyBoxWinner: boolean; MyOffer?: boolean }[] };
      }>(token, `/products/pricing/v0/items/${p.asin}/offers?MarketplaceId=${US}&ItemCondition=New`);
      const winner = truth.payload.Offers.find((o) => o.IsBuyBoxWinner);
      const expected = !winner
        ? 'suppressed'
        : winner.MyOffer || winner.SellerId === sellerId
          ? 'winner'
          : 'lost';
      expect(p.buy_box_status, p.asin).toBe(expected);
      if (expected === 'lost') lost++;
      const offers = await queryRows<{ n: number }>(
        testDb(),
        sql`SELECT count(*)::int AS n FROM competitor_offers WHERE tenant_id = ${tenant.id} AND asin = ${p.asin}`,
      );
      expect(Number(offers[0]!.n)).toBe(truth.payload.Offers.length);
      // The direct call spends the pricing token our next sync would use: leave it time to refill.
      await new Promise((r) => setTimeout(r, 2_100));
    }
    const history = await queryRows<{ n: number }>(
      testDb(),
      sql`SELECT count(*)::int AS n FROM price_history WHERE tenant_id = ${tenant.id}`,
    );
    expect(Number(history[0]!.n)).toBe(products.length);
    const alerts = await queryRows<{ n: number }>(
      testDb(),
      sql`SELECT count(*)::int AS n FROM alerts WHERE tenant_id = ${tenant.id} AND type = 'BUYBOX_LOST' AND status = 'active'`,
    );
    expect(Number(alerts[0]!.n)).toBe(lost);
  }, 60_000);

  it('finance: events with fee breakdown equal the sandbox events; order lines get settled fees; idempotent', async () => {
    const { tenant, sellerId, jobs } = await connectTenant();
    await settle(tenant.id, jobs.find((j) => j.type === 'orders')!.jobId);
    const financeJob = jobs.find((j) => j.type === 'finance')!;
    const { job } = await settle(tenant.id, financeJob.jobId);
    expect(job.status).toBe('success');
    const cursor = await queryRows<{ at: string }>(
      testDb(),
      sql`SELECT to_char(cursor_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM sync_cursors WHERE tenant_id = ${tenant.id} AND type = 'finance'`,
    );
    const token = await sellerAccessToken(sellerId);
    const truth = await truthV0Amounts(
      token,
      `PostedAfter=${job.rangeStart!.toISOString()}&PostedBefore=${cursor[0]!.at}`,
    );
    const ours = await queryRows<{ n: number; cents: number }>(
      testDb(),
      sql`SELECT count(*)::int AS n, coalesce(round(sum(amount) * 100), 0)::bigint AS cents FROM finance_events WHERE tenant_id = ${tenant.id} AND source = 'events_v0'`,
    );
    expect(Number(ours[0]!.n)).toBe(truth.count);
    expect(Number(ours[0]!.cents)).toBe(truth.cents);
    const fees = await queryRows<{ n: number }>(
      testDb(),
      sql`SELECT count(*)::int AS n FROM order_items WHERE tenant_id = ${tenant.id} AND fee_status = 'settled' AND referral_fee > 0`,
    );
    expect(Number(fees[0]!.n)).toBeGreaterThan(0);
    const settlements = await queryRows<{ n: number }>(
      testDb(),
      sql`SELECT count(*)::int AS n FROM settlements WHERE tenant_id = ${tenant.id}`,
    );
    expect(Number(settlements[0]!.n)).toBeGreaterThan(0);
    const total = await queryRows<{ n: number }>(
      testDb(),
      sql`SELECT count(*)::int AS n FROM finance_events WHERE tenant_id = ${tenant.id}`,
    );
    const [again] = await createJobs(testDb(), [
      {
        tenantId: tenant.id,
        type: 'finance',
        trigger: 'manual',
        priority: 'high',
        range: { start: job.rangeStart!, end: job.rangeEnd! },
      },
    ]);
    expect((await settle(tenant.id, again!.id)).job.status).toBe('success');
    expect(
      await queryRows(
        testDb(),
        sql`SELECT count(*)::int AS n FROM finance_events WHERE tenant_id = ${tenant.id}`,
      ),
    ).toEqual(total);
  }, 60_000);

  it('finance pages per model: every page after the first repeats the query; all pages equal the sandbox', async () => {
    // SMALL (10 orders a day over 90 days): both finance lists take several pages.
    const { tenant, sellerId, jobs } = await connectTenant({ sellerId: freshSeller('SMALL') });
    const { job } = await settle(tenant.id, jobs.find((j) => j.type === 'finance')!.jobId);
    expect(job.status).toBe('success');
    // The sandbox refuses a token sent without the first page's arguments, so every page read is proof.
    const counters = await control<Record<string, number>>(`/sellers/${sellerId}/counters`);
    expect(counters['requests.listFinancialEvents']).toBeGreaterThan(1);
    expect(counters['requests.listTransactions']).toBeGreaterThan(1);
    const [cursor] = await queryRows<{ at: string }>(
      testDb(),
      sql`SELECT to_char(cursor_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM sync_cursors WHERE tenant_id = ${tenant.id} AND type = 'finance'`,
    );
    // Ground truth is read without Amazon's rate limits (the sync is done).
    await control(`/sellers/${sellerId}/rate-limits`, { mode: 'off' }, 'PUT');
    const token = await sellerAccessToken(sellerId);
    const [after, before] = [job.rangeStart!.toISOString(), cursor!.at];
    const truth = await truthV0Amounts(token, `PostedAfter=${after}&PostedBefore=${before}`);
    const serviceFees = await truthServiceFees(token, `postedAfter=${after}&postedBefore=${before}`);
    expect(serviceFees).toBeGreaterThan(0);
    const [ours] = await queryRows<{ v0: number; cents: number; fees: number }>(
      testDb(),
      sql`SELECT count(*) FILTER (WHERE source = 'events_v0')::int AS v0,
            coalesce(round(sum(amount) FILTER (WHERE source = 'events_v0') * 100), 0)::bigint AS cents,
            count(*) FILTER (WHERE source = 'transactions')::int AS fees
          FROM finance_events WHERE tenant_id = ${tenant.id}`,
    );
    expect(truth.count).toBeGreaterThan(100);
    expect(Number(ours!.v0)).toBe(truth.count);
    expect(Number(ours!.cents)).toBe(truth.cents);
    expect(Number(ours!.fees)).toBe(serviceFees);
  });

  it('ads: connect, choose a profile, sync campaigns, ad groups, keywords and daily metrics (states lower case)', async () => {
    const { tenant, sellerId } = await connectTenant();
    const code = await consentCode(sellerId);
    const res = await api('/api/auth/connect-amazon-ads', {
      method: 'POST',
      as: tenant.owner,
      json: { authorizationCode: code, redirectUri: REDIRECT, region: 'na' },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      profiles: { profileId: string; marketplaceId: string; isSelected: boolean }[];
    };
    const us = body.profiles.find((p) => p.marketplaceId === US)!;
    expect(us.isSelected).toBe(false);
    const sel = await api('/api/auth/amazon-ads/profiles', {
      method: 'PUT',
      as: tenant.owner,
      json: { profileIds: [us.profileId] },
    });
    expect(sel.status).toBe(200);
    const { jobId } = (await sel.json()) as { jobId: string };
    const { job } = await settle(tenant.id, jobId);
    expect(job.status, job.errorMessage ?? '').toBe('success');
    const counts = await queryRows<{ c: number; g: number; k: number; m: number; bad: number }>(
      testDb(),
      sql`SELECT (SELECT count(*)::int FROM ad_campaigns WHERE tenant_id = ${tenant.id}) AS c,
                 (SELECT count(*)::int FROM ad_groups WHERE tenant_id = ${tenant.id}) AS g,
                 (SELECT count(*)::int FROM ad_keywords WHERE tenant_id = ${tenant.id}) AS k,
                 (SELECT count(*)::int FROM ad_metrics_daily WHERE tenant_id = ${tenant.id}) AS m,
                 (SELECT count(*)::int FROM ad_campaigns WHERE tenant_id = ${tenant.id} AND state <> lower(state)) AS bad`,
    );
    expect(Number(counts[0]!.c)).toBeGreaterThan(0);
    expect(Number(counts[0]!.g)).toBeGreaterThan(0);
    expect(Number(counts[0]!.k)).toBeGreaterThan(0);
    expect(Number(counts[0]!.m)).toBeGreaterThan(0);
    expect(Number(counts[0]!.bad)).toBe(0);
  });
});
