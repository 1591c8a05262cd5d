import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client';
import { createJobs } from '../../src/services/sync/engine/jobs';
import { messageFor } from '../../src/services/sync/engine/queue';
import { runSyncJob } from '../../src/services/sync/run-job';
import { api, testDb } from './harness';
import {
  connectSettled,
  connectTenant,
  control,
  freshSeller,
  jobRow,
  sellerAccessToken,
  serviceContext,
  settle,
  sp,
  US,
} from './sync-helpers';

interface TruthOrder {
  orderId: string;
  marketplaceId: string;
  createdTime: string;
  status: string;
  currency: string;
  orderTotal: string;
  items: { orderItemId: string; sku: string; asin: string; quantity: number; itemPrice: string }[];
}

/** The sandbox's own ground truth, day by day (independent of our sync code). */
async function truthOrders(sellerId: string, days: number, marketplaceIds = [US]): Promise<TruthOrder[]> {
  const out: TruthOrder[] = [];
  for (let i = 0; i <= days; i++) {
    const date = new Date(Date.now() - i * 86_400_000).toISOString().slice(0, 10);
    const res = await control<{ orders: TruthOrder[] }>(`/sellers/${sellerId}/orders?date=${date}`);
    out.push(...res.orders.filter((o) => marketplaceIds.includes(o.marketplaceId)));
  }
  return out;
}

const cents = (v: string | null) => (v === null ? null : Math.round(Number(v) * 100));

async function ourOrders(tenantId: string) {
  return queryRows<{
    amazon_order_id: string;
    order_status: string;
    order_total: string | null;
    purchase_date: string;
    ship_city_hash: string | null;
    ship_state_code: string | null;
    ship_country_code: string | null;
  }>(
    testDb(),
    sql`SELECT amazon_order_id, order_status, order_total::text, purchase_date::text, ship_city_hash, ship_state_code, ship_country_code FROM orders WHERE tenant_id = ${tenantId}`,
  );
}

async function ourItems(tenantId: string) {
  return queryRows<{
    amazon_order_id: string;
    order_item_id: string;
    sku: string;
    quantity: number;
    item_price: string;
  }>(
    testDb(),
    sql`SELECT amazon_order_id, order_item_id, sku, quantity, item_price::text FROM order_items WHERE tenant_id = ${tenantId}`,
  );
}

/**
 * Everything a sync writes for the tenant except timestamps, as one fingerprint. (The sandbox's
 * report stamps an unshipped order's last-updated-date with the report time, so it moves between runs.)
 */
async function fingerprint(tenantId: string) {
  const rows = await queryRows<{ o: string; i: string; n: number }>(
    testDb(),
    sql`SELECT
          (SELECT md5(string_agg(concat_ws('|', amazon_order_id, order_status, order_total, purchase_date, ship_city_hash, number_of_items), ',' ORDER BY amazon_order_id)) FROM orders WHERE tenant_id = ${tenantId}) AS o,
          (SELECT md5(string_agg(concat_ws('|', amazon_order_id, order_item_id, sku, quantity, item_price, item_tax), ',' ORDER BY amazon_order_id, order_item_id)) FROM order_items WHERE tenant_id = ${tenantId}) AS i,
          (SELECT count(*)::int FROM order_items WHERE tenant_id = ${tenantId}) AS n`,
  );
  return rows[0]!;
}

const SETTLED_MS = 4 * 86_400_000;

describe('orders sync against the sandbox', () => {
  it('backfill through the flat-file report gives exactly the sandbox orders and items, and a re-run changes nothing', async () => {
    const { tenant, sellerId, jobs } = await connectTenant();
    const ordersJob = jobs.find((j) => j.type === 'orders')!;
    const { job } = await settle(tenant.id, ordersJob.jobId);
    expect(job.status).toBe('success');
    expect(job.progress).toBe(100);
    expect(job.durationMs).toBeGreaterThanOrEqual(0);

    const truth = await truthOrders(sellerId, 31);
    const ours = await ourOrders(tenant.id);
    const items = await ourItems(tenant.id);
    expect(job.recordsProcessed).toBe(ours.length);
    const cutoff = Date.now() - SETTLED_MS;
    const settled = truth.filter((o) => Date.parse(o.createdTime) < cutoff);
    expect(settled.length).toBeGreaterThan(10);
    const byId = new Map(ours.map((o) => [o.amazon_order_id, o]));
    // Every settled order is there with its final status and total.
    for (const t of settled) {
      const o = byId.get(t.orderId);
      expect(o, t.orderId).toBeDefined();
      expect(o!.order_status).toBe(t.status);
      if (t.status !== 'Canceled') expect(cents(o!.order_total)).toBe(cents(t.orderTotal));
      const lines = items.filter((i) => i.amazon_order_id === t.orderId);
      expect(lines.map((l) => `${l.sku}:${l.quantity}:${cents(l.item_price)}`).sort()).toEqual(
        t.items.map((l) => `${l.sku}:${l.quantity}:${cents(l.itemPrice)}`).sort(),
      );
    }
    // Nothing that is not in the sandbox, and no order outside the US marketplace we asked for.
    const truthIds = new Set(truth.map((t) => t.orderId));
    for (const o of ours) expect(truthIds.has(o.amazon_order_id), o.amazon_order_id).toBe(true);
    // Customer data minimised: a keyed city hash, state and country codes, nothing else.
    expect(ours.every((o) => o.ship_city_hash === null || /^[0-9a-f]{64}$/.test(o.ship_city_hash))).toBe(
      true,
    );
    expect(ours.some((o) => o.ship_country_code === 'US' && o.ship_state_code)).toBe(true);

    const before = await fingerprint(tenant.id);
    const [again] = await createJobs(testDb(), [
      {
        tenantId: tenant.id,
        type: 'orders',
        trigger: 'manual',
        priority: 'high',
        range: { start: job.rangeStart!, end: job.rangeEnd! },
      },
    ]);
    expect((await settle(tenant.id, again!.id)).job.status).toBe('success');
    expect(await fingerprint(tenant.id)).toEqual(before);
  });

  it('incremental searchOrders after the backfill replaces report lines with real item ids, never duplicating', async () => {
    const { tenant, sellerId, jobs } = await connectTenant();
    await settle(tenant.id, jobs.find((j) => j.type === 'orders')!.jobId);
    const backfilled = await fingerprint(tenant.id);
    // Move the watermark back five days so the incremental sync re-reads recent orders.
    await testDb().execute(
      sql`UPDATE sync_cursors SET cursor_at = now() - interval '5 days' WHERE tenant_id = ${tenant.id} AND type = 'orders'`,
    );
    const [inc] = await createJobs(testDb(), [
      { tenantId: tenant.id, type: 'orders', trigger: 'schedule', priority: 'normal' },
    ]);
    const { job } = await settle(tenant.id, inc!.id);
    expect(job.status).toBe('success');
    expect(job.recordsProcessed).toBeGreaterThan(0);

    const items = await ourItems(tenant.id);
    const truth = await truthOrders(sellerId, 31);
    const truthById = new Map(truth.map((t) => [t.orderId, t]));
    // Same number of lines as the sandbox for every order; recent ones carry Amazon's item ids.
    const byOrder = new Map<string, typeof items>();
    for (const i of items) byOrder.set(i.amazon_order_id, [...(byOrder.get(i.amazon_order_id) ?? []), i]);
    for (const [orderId, lines] of byOrder) {
      const t = truthById.get(orderId)!;
      expect(lines.length, orderId).toBe(t.items.length);
      if (lines.some((l) => !l.order_item_id.startsWith('sku:'))) {
        expect(lines.map((l) => l.order_item_id).sort()).toEqual(t.items.map((l) => l.orderItemId).sort());
      }
    }
    expect(items.some((i) => !i.order_item_id.startsWith('sku:'))).toBe(true);
    expect((await fingerprint(tenant.id)).n).toBe(backfilled.n);
    const cursor = await queryRows<{ at: string }>(
      testDb(),
      sql`SELECT cursor_at::text AS at FROM sync_cursors WHERE tenant_id = ${tenant.id} AND type = 'orders'`,
    );
    // The watermark lags Amazon's two minutes.
    expect(Date.now() - Date.parse(cursor[0]!.at)).toBeGreaterThanOrEqual(120_000);
  });

  it('incremental searchOrders over several pages sends the same filters on each; rows equal the sandbox', async () => {
    const { tenant, sellerId, jobs } = await connectTenant({ sellerId: freshSeller('SMALL') });
    await settle(tenant.id, jobs.find((j) => j.type === 'orders')!.jobId);
    await testDb().execute(sql`DELETE FROM orders WHERE tenant_id = ${tenant.id}`);
    await testDb().execute(
      sql`UPDATE sync_cursors SET cursor_at = now() - interval '20 days' WHERE tenant_id = ${tenant.id} AND type = 'orders'`,
    );
    const before =
      (await control<Record<string, number>>(`/sellers/${sellerId}/counters`))['requests.searchOrders'] ?? 0;
    const [inc] = await createJobs(testDb(), [
      { tenantId: tenant.id, type: 'orders', trigger: 'schedule', priority: 'normal' },
    ]);
    const { job } = await settle(tenant.id, inc!.id);
    expect(job.status).toBe('success');
    const pages =
      (await control<Record<string, number>>(`/sellers/${sellerId}/counters`))['requests.searchOrders']! -
      before;
    expect(pages).toBeGreaterThanOrEqual(2);
    // Every order created in the 20 days is there (its last update is later than its creation),
    // with Amazon's item ids; nothing the sandbox does not have.
    const truth = (await truthOrders(sellerId, 21)).filter(
      (t) =>
        Date.parse(t.createdTime) >= Date.now() - 20 * DAY_MS + 60_000 &&
        Date.parse(t.createdTime) < Date.now() - 3 * 60_000,
    );
    const items = await ourItems(tenant.id);
    const ours = new Set((await ourOrders(tenant.id)).map((o) => o.amazon_order_id));
    expect(truth.length).toBeGreaterThan(100);
    for (const t of truth) {
      expect(ours.has(t.orderId), t.orderId).toBe(true);
      const lines = items
        .filter((i) => i.amazon_order_id === t.orderId)
        .map((i) => i.order_item_id)
        .sort();
      expect(lines).toEqual(t.items.map((i) => i.orderItemId).sort());
    }
    const all = new Set((await truthOrders(sellerId, 25)).map((t) => t.orderId));
    for (const id of ours) expect(all.has(id), id).toBe(true);
  });

  it('refreshes the rollups and bumps the data version after the sync', async () => {
    const { tenant, jobs } = await connectTenant();
    const versionBefore = await queryRows<{ v: number }>(
      testDb(),
      sql`SELECT data_version::int AS v FROM tenants WHERE id = ${tenant.id}`,
    );
    await settle(tenant.id, jobs.find((j) => j.type === 'orders')!.jobId);
    const after = await queryRows<{ v: number }>(
      testDb(),
      sql`SELECT data_version::int AS v FROM tenants WHERE id = ${tenant.id}`,
    );
    expect(Number(after[0]!.v)).toBeGreaterThan(Number(versionBefore[0]!.v));
    const rollup = await queryRows<{ orders: number; units: number }>(
      testDb(),
      sql`SELECT coalesce(sum(orders), 0)::int AS orders, coalesce(sum(units), 0)::int AS units FROM sales_daily WHERE tenant_id = ${tenant.id}`,
    );
    const direct = await queryRows<{ units: number }>(
      testDb(),
      sql`SELECT coalesce(sum(i.quantity), 0)::int AS units FROM order_items i JOIN orders o ON o.tenant_id = i.tenant_id AND o.amazon_order_id = i.amazon_order_id WHERE o.tenant_id = ${tenant.id} AND o.order_status <> 'Canceled'`,
    );
    expect(Number(rollup[0]!.units)).toBe(Number(direct[0]!.units));
  });

  it('after a sandbox sync the orders view and the dashboard count exactly the sandbox orders', async () => {
    const { tenant, sellerId, jobs } = await connectTenant();
    await settle(tenant.id, jobs.find((j) => j.type === 'orders')!.jobId);
    // Settled days only (statuses no longer move), in the tenant's zone (UTC).
    const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
    const [startDate, endDate] = [day(30), day(5)];
    const inRange = (await truthOrders(sellerId, 31)).filter((t) => {
      const d = t.createdTime.slice(0, 10);
      return d >= startDate && d <= endDate;
    });
    expect(inRange.length).toBeGreaterThan(5);

    const list = await api(`/api/orders?startDate=${startDate}&endDate=${endDate}&limit=100`, {
      as: tenant.owner,
    });
    expect(list.status).toBe(200);
    const listed = (await list.json()) as { summary: { totalOrders: number; totalUnits: number } };
    expect(listed.summary.totalOrders).toBe(inRange.length);

    const dash = await api(`/api/metrics/dashboard?startDate=${startDate}&endDate=${endDate}`, {
      as: tenant.owner,
    });
    expect(dash.status).toBe(200);
    const dashboard = (await dash.json()) as { period: { current: { orders: number; units: number } } };
    const sold = inRange.filter((t) => t.status !== 'Canceled');
    expect(dashboard.period.current.orders).toBe(sold.length);
    expect(dashboard.period.current.units).toBe(
      sold.reduce((n, t) => n + t.items.reduce((m, i) => m + i.quantity, 0), 0),
    );
  });

  it('uses one LWA refresh for every call of the seller', async () => {
    const { tenant, sellerId, jobs } = await connectTenant();
    for (const j of jobs) await settle(tenant.id, j.jobId);
    const counters = await control<Record<string, number>>(`/sellers/${sellerId}/counters`);
    // One access token from the code exchange, one refresh for all syncs.
    expect(counters['lwa.accessTokensIssued']).toBe(2);
  });
});

const DAY_MS = 86_400_000;
const ORDERS_REPORT = 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL';
const second = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** Our orders with their UTC purchase day, status and total, by order id. */
async function ourOrdersByDay(tenantId: string) {
  const rows = await queryRows<{
    id: string;
    day: string;
    purchased: string;
    status: string;
    total: string | null;
    marketplace: string;
  }>(
    testDb(),
    sql`SELECT amazon_order_id AS id, to_char(purchase_date AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
          to_char(purchase_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS purchased,
          order_status AS status, order_total::text AS total, marketplace_id AS marketplace
        FROM orders WHERE tenant_id = ${tenantId}`,
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Day by day, the orders we hold equal the sandbox's: exactly for settled days (statuses no longer
 * move, so every order was in a report), and no order the sandbox does not have on recent days.
 */
async function expectSameOrdersByDay(tenantId: string, truth: TruthOrder[]): Promise<number> {
  const ours = await ourOrdersByDay(tenantId);
  const settledBefore = new Date(Date.now() - SETTLED_MS).toISOString().slice(0, 10);
  const days = new Map<string, TruthOrder[]>();
  for (const t of truth)
    days.set(t.createdTime.slice(0, 10), [...(days.get(t.createdTime.slice(0, 10)) ?? []), t]);
  const oursByDay = new Map<string, string[]>();
  for (const o of ours.values()) oursByDay.set(o.day, [...(oursByDay.get(o.day) ?? []), o.id]);
  let settledDays = 0;
  for (const [day, expected] of days) {
    const held = (oursByDay.get(day) ?? []).sort();
    const ids = expected.map((t) => t.orderId).sort();
    if (day >= settledBefore) {
      for (const id of held) expect(ids, `${day} ${id}`).toContain(id);
      continue;
    }
    settledDays += 1;
    expect(held, day).toEqual(ids);
    for (const t of expected) {
      const o = ours.get(t.orderId)!;
      expect(second(o.purchased), t.orderId).toBe(second(t.createdTime));
      expect(o.status, t.orderId).toBe(t.status);
      expect(o.marketplace, t.orderId).toBe(t.marketplaceId);
      if (t.status !== 'Canceled') expect(cents(o.total), t.orderId).toBe(cents(t.orderTotal));
    }
  }
  // Nothing held for a day the sandbox has no order on.
  for (const day of oursByDay.keys()) expect(days.has(day), day).toBe(true);
  return settledDays;
}

interface ListedReport {
  reportId: string;
  processingStatus: string;
  dataStartTime: string;
  dataEndTime: string;
}

/** The orders reports the seller's account holds, oldest window first (Amazon's getReports). */
async function orderReports(sellerId: string): Promise<ListedReport[]> {
  const token = await sellerAccessToken(sellerId);
  const { reports } = await sp<{ reports: ListedReport[] }>(
    token,
    `/reports/2021-06-30/reports?reportTypes=${ORDERS_REPORT}&pageSize=100`,
  );
  return reports.sort((a, b) => Date.parse(a.dataStartTime) - Date.parse(b.dataStartTime));
}

async function cursorOf(tenantId: string): Promise<number | undefined> {
  const [row] = await queryRows<{ at: string }>(
    testDb(),
    sql`SELECT to_char(cursor_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM sync_cursors WHERE tenant_id = ${tenantId} AND type = 'orders'`,
  );
  return row ? Date.parse(row.at) : undefined;
}

describe('orders backfill in report windows of at most 30 days', () => {
  it('a 90-day backfill equals the sandbox day by day, through contiguous windows of at most 30 days', async () => {
    const { tenant, sellerId, jobs } = await connectTenant({ sellerId: freshSeller('SMALL') });
    const { job } = await settle(tenant.id, jobs.find((j) => j.type === 'orders')!.jobId);
    expect(job.status).toBe('success');
    const range = { start: job.rangeStart!.getTime(), end: job.rangeEnd!.getTime() };
    expect(range.end - range.start).toBeGreaterThanOrEqual(90 * DAY_MS - 1000);

    const reports = await orderReports(sellerId);
    expect(reports.map((r) => r.processingStatus)).toEqual(['DONE', 'DONE', 'DONE']);
    expect(Math.abs(Date.parse(reports[0]!.dataStartTime) - range.start)).toBeLessThan(1000);
    for (const [i, r] of reports.entries()) {
      expect(Date.parse(r.dataEndTime) - Date.parse(r.dataStartTime)).toBeLessThanOrEqual(30 * DAY_MS);
      if (i > 0) expect(r.dataStartTime).toBe(reports[i - 1]!.dataEndTime);
    }
    // The last window ends Amazon's two minutes before the sync ran, not before the range end.
    expect(range.end - Date.parse(reports.at(-1)!.dataEndTime)).toBeLessThan(3 * 60_000);

    const truth = await truthOrders(sellerId, 90);
    expect(truth.length).toBeGreaterThan(300);
    expect(await expectSameOrdersByDay(tenant.id, truth)).toBeGreaterThanOrEqual(84);
    expect(job.recordsProcessed).toBe((await ourOrdersByDay(tenant.id)).size);
  });

  it('a new seller without orders: every window is CANCELLED by Amazon, and the backfill succeeds with 0 rows', async () => {
    const sellerId = freshSeller('SMALL');
    await control(`/sellers/${sellerId}/size`, { ordersPerDay: 0 }, 'PUT');
    const { tenant, jobs } = await connectTenant({ sellerId });
    const { job, outcomes } = await settle(tenant.id, jobs.find((j) => j.type === 'orders')!.jobId);
    expect(outcomes.map((o) => o.action)).not.toContain('retry');
    expect(job.status).toBe('success');
    expect(job.recordsProcessed).toBe(0);
    expect(job.errorMessage).toBeNull();
    expect((await ourOrdersByDay(tenant.id)).size).toBe(0);
    expect((await orderReports(sellerId)).map((r) => r.processingStatus)).toEqual([
      'CANCELLED',
      'CANCELLED',
      'CANCELLED',
    ]);
    // Nothing to read is still a finished backfill: the watermark moves to its end.
    expect(await cursorOf(tenant.id)).toBeGreaterThan(Date.now() - 10 * 60_000);
  });

  it('a retry resumes at the window it stopped in: no earlier window is requested again', async () => {
    // TINY: 30 days of history, so of a 90-day backfill the two older windows are CANCELLED.
    const { tenant, sellerId } = await connectSettled();
    const [created] = await createJobs(testDb(), [
      {
        tenantId: tenant.id,
        type: 'orders',
        trigger: 'manual',
        priority: 'high',
        range: { start: new Date(Date.now() - 90 * DAY_MS), end: new Date() },
      },
    ]);
    await testDb().execute(sql`DELETE FROM orders WHERE tenant_id = ${tenant.id}`);
    const reportsBefore = (await orderReports(sellerId)).length;
    await control(`/sellers/${sellerId}/faults`, { document: 'TRUNCATED_GZIP' });
    const first = await runSyncJob(serviceContext(), messageFor(await jobRow(tenant.id, created!.id)), {
      attempt: 1,
    });
    expect(first).toMatchObject({ action: 'retry', reason: expect.stringMatching(/corrupt or truncated/) });
    const afterFirst = await orderReports(sellerId);
    expect(afterFirst.length).toBe(reportsBefore + 3);
    // The checkpoint is the third window's report.
    const third = afterFirst.at(-1)!;
    expect((await jobRow(tenant.id, created!.id)).target).toMatchObject({ reportId: third.reportId });

    await control(`/sellers/${sellerId}/faults`, { document: 'OK' });
    const { job } = await settle(tenant.id, created!.id);
    expect(job.status).toBe('success');
    expect((await orderReports(sellerId)).length).toBe(reportsBefore + 3);
    expect(await expectSameOrdersByDay(tenant.id, await truthOrders(sellerId, 31))).toBeGreaterThan(20);
  });

  it('a document that is not the report ("Date range exceeded") fails the job loudly and moves nothing', async () => {
    const { tenant, sellerId } = await connectSettled();
    // Amazon answering with a shorter limit than the engine's 30-day windows.
    await control(`/sellers/${sellerId}/faults`, { orderReportMaxDays: 10 });
    const cursorBefore = await cursorOf(tenant.id);
    await testDb().execute(sql`DELETE FROM orders WHERE tenant_id = ${tenant.id}`);
    const [created] = await createJobs(testDb(), [
      {
        tenantId: tenant.id,
        type: 'orders',
        trigger: 'manual',
        priority: 'high',
        range: { start: new Date(Date.now() - 40 * DAY_MS), end: new Date() },
      },
    ]);
    const { job, outcomes } = await settle(tenant.id, created!.id);
    expect(outcomes).toHaveLength(1);
    expect(job.status).toBe('failed');
    expect(job.errorMessage).toMatch(
      new RegExp(
        `is not a ${ORDERS_REPORT} report: .*"Date range exceeded. Report can be requested only upto 30 days"`,
      ),
    );
    const alerts = await queryRows<{ message: string }>(
      testDb(),
      sql`SELECT message FROM alerts WHERE tenant_id = ${tenant.id} AND type = 'SYNC_FAILED' AND status = 'active'`,
    );
    expect(alerts.map((a) => a.message)).toEqual([job.errorMessage]);
    expect((await ourOrdersByDay(tenant.id)).size).toBe(0);
    expect(await cursorOf(tenant.id)).toBe(cursorBefore);
  });

  it('only Amazon stores are synced: a "Non-Amazon" participation is skipped, every store matches the sandbox', async () => {
    // No marketplace chosen: the connection keeps every participating one, "Non-Amazon" included.
    const { tenant, sellerId, jobs } = await connectTenant({ marketplaceIds: [] });
    const [credential] = await queryRows<{ ids: string[] }>(
      testDb(),
      sql`SELECT marketplace_ids AS ids FROM amazon_credentials WHERE tenant_id = ${tenant.id} AND type = 'SPAPI'`,
    );
    const stores = ['ATVPDKIKX0DER', 'A2EUQ1WTGCTBG2', 'A1AM78C64UM0Y8', 'A1F83G8C2ARO7P'];
    expect(credential!.ids).toEqual(expect.arrayContaining(stores));
    for (const type of ['orders', 'inventory', 'finance']) {
      const { job } = await settle(tenant.id, jobs.find((j) => j.type === type)!.jobId);
      expect(job.status, `${type}: ${job.errorMessage}`).toBe('success');
    }
    const products = await queryRows<{ marketplace: string }>(
      testDb(),
      sql`SELECT DISTINCT marketplace_id AS marketplace FROM products WHERE tenant_id = ${tenant.id}`,
    );
    expect(products.map((p) => p.marketplace).sort()).toEqual(
      stores.filter((s) => credential!.ids.includes(s)).sort(),
    );
    await expectSameOrdersByDay(tenant.id, await truthOrders(sellerId, 31, credential!.ids));
  });
});
