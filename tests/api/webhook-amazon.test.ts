import { createExecutionContext, createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { inArray, sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { type ClientSubject, clientLimiter } from '../../durable-objects/client-rate-limiter';
import { queryRows } from '../../src/db/client';
import { notificationsReceived } from '../../src/db/schema';
import { WEBHOOK_IP_LIMIT } from '../../src/routes/webhooks';
import { handleScheduled } from '../../workers/scheduler';
import { api, createTenant, testDb, uniqueIp } from './harness';
import { appEnv, connectSettled, control, settle, US } from './sync-helpers';
import { TEST_SECRETS } from './test-secrets';

const KEY = TEST_SECRETS.NOTIFICATIONS_API_KEY;
const post = (body: unknown, key: string | null = KEY) =>
  api('/api/webhooks/amazon', {
    method: 'POST',
    json: body,
    ...(key !== null ? { headers: { 'x-api-key': key } } : {}),
  });

interface InboxEntry {
  headers: Record<string, string>;
  body: { detail: Record<string, unknown> };
}

/** Connected seller whose notification destination delivers into a sandbox inbox we read back. */
async function connectedWithInbox() {
  const c = await connectSettled();
  const subs = await queryRows<{
    destination_id: string;
    notification_type: string;
    subscription_id: string;
  }>(
    testDb(),
    sql`SELECT destination_id, notification_type, subscription_id FROM amazon_subscriptions WHERE tenant_id = ${c.tenant.id}`,
  );
  expect(subs.map((s) => s.notification_type).sort()).toEqual([
    'ANY_OFFER_CHANGED',
    'FBA_INVENTORY_AVAILABILITY_CHANGES',
    'ORDER_CHANGE',
  ]);
  const inbox = `t${crypto.randomUUID().slice(0, 8)}`;
  await control(
    `/destinations/${subs[0]!.destination_id}/target`,
    { url: `inbox://${inbox}`, headerName: 'x-api-key', headerValue: KEY },
    'PUT',
  );
  const read = async () =>
    (await control<{ received: InboxEntry[] }>(`/sellers/${c.sellerId}/inbox/${inbox}`)).received;
  return { ...c, subs, read };
}

const jobsOf = (tenantId: string, type: string) =>
  queryRows<{ id: string; status: string; target: Record<string, string> }>(
    testDb(),
    sql`SELECT id, status, target FROM sync_jobs WHERE tenant_id = ${tenantId} AND trigger = 'notification' AND type = ${type}`,
  );

describe('POST /api/webhooks/amazon', () => {
  it('a new sandbox order reaches the database within seconds of its notification, and a duplicate causes no second sync', async () => {
    const { tenant, sellerId, read } = await connectedWithInbox();
    const started = Date.now();
    const created = await control<{ orderId: string }>(`/sellers/${sellerId}/orders`, {});
    const [delivery] = await read();
    expect(delivery!.headers['x-api-key']).toBe(KEY);
    const first = await post(delivery!.body);
    expect(first.status).toBe(200);
    const body = (await first.json()) as { status: string; jobId: string };
    expect(body.status).toBe('queued');
    const dup = await post(delivery!.body);
    expect(await dup.json()).toMatchObject({ status: 'duplicate', jobId: null });
    const { job } = await settle(tenant.id, body.jobId);
    expect(job.status).toBe('success');
    const rows = await queryRows<{ amazon_order_id: string }>(
      testDb(),
      sql`SELECT amazon_order_id FROM orders WHERE tenant_id = ${tenant.id} AND amazon_order_id = ${created.orderId}`,
    );
    // The order may be in a marketplace we do not sync; the targeted getOrder fetches it anyway.
    expect(rows).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await jobsOf(tenant.id, 'orders')).toHaveLength(1);
    const stored = await queryRows<{ n: number }>(
      testDb(),
      sql`SELECT count(*)::int AS n FROM notifications_received WHERE tenant_id = ${tenant.id}`,
    );
    expect(Number(stored[0]!.n)).toBe(1);
  });

  it('duplicated deliveries from Amazon (fault) queue exactly one sync', async () => {
    const { tenant, sellerId, read } = await connectedWithInbox();
    await control(`/sellers/${sellerId}/faults`, { duplicateNotifications: true });
    await control(`/sellers/${sellerId}/orders`, {});
    const deliveries = (await read()).filter((d) => d.body.detail.NotificationType === 'ORDER_CHANGE');
    expect(deliveries).toHaveLength(2);
    const answers = await Promise.all(
      deliveries.map(async (d) => (await (await post(d.body)).json()) as { status: string }),
    );
    expect(answers.map((a) => a.status).sort()).toEqual(['duplicate', 'queued']);
    expect(await jobsOf(tenant.id, 'orders')).toHaveLength(1);
  });

  it('a price change queues one ASIN’s offers and updates its buy box', async () => {
    const { tenant, sellerId, read } = await connectedWithInbox();
    const [p] = await queryRows<{ sku: string; asin: string }>(
      testDb(),
      sql`SELECT sku, asin FROM products WHERE tenant_id = ${tenant.id} AND marketplace_id = ${US} ORDER BY sku LIMIT 1`,
    );
    await control(`/sellers/${sellerId}/prices`, { sku: p!.sku, marketplaceId: US, price: 1.11 });
    const [delivery] = await read();
    const res = (await (await post(delivery!.body)).json()) as { jobId: string };
    const { job } = await settle(tenant.id, res.jobId);
    expect(job.status).toBe('success');
    expect(job.target).toMatchObject({ asin: p!.asin, marketplaceId: US });
    const [row] = await queryRows<{ price: string; buy_box_status: string }>(
      testDb(),
      sql`SELECT price::text, buy_box_status FROM products WHERE tenant_id = ${tenant.id} AND asin = ${p!.asin} AND marketplace_id = ${US}`,
    );
    expect(row!.price).toBe('1.11');
    expect(row!.buy_box_status).not.toBe('unknown');
  });

  it('an inventory change queues one SKU’s stock', async () => {
    const { tenant, sellerId, read } = await connectedWithInbox();
    const [p] = await queryRows<{ sku: string }>(
      testDb(),
      sql`SELECT sku FROM products WHERE tenant_id = ${tenant.id} AND fulfillment_channel = 'FBA' AND marketplace_id = ${US} LIMIT 1`,
    );
    await control(`/sellers/${sellerId}/notifications`, {
      type: 'FBA_INVENTORY_AVAILABILITY_CHANGES',
      sku: p!.sku,
      marketplaceId: US,
    });
    const [delivery] = await read();
    const res = (await (await post(delivery!.body)).json()) as { status: string; jobId: string };
    expect(res.status).toBe('queued');
    const { job } = await settle(tenant.id, res.jobId);
    expect(job.status).toBe('success');
    expect(job.target).toMatchObject({ sku: p!.sku });
  });

  it('acknowledges a suspended tenant’s notification without storing it or queueing a sync', async () => {
    const { tenant, sellerId, read } = await connectedWithInbox();
    await testDb().execute(sql`UPDATE tenants SET status = 'suspended' WHERE id = ${tenant.id}`);
    await control(`/sellers/${sellerId}/orders`, {});
    const [delivery] = await read();
    const res = await post(delivery!.body);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'skipped', jobId: null });
    expect(await jobsOf(tenant.id, 'orders')).toEqual([]);
    const stored = await queryRows<{ n: number }>(
      testDb(),
      sql`SELECT count(*)::int AS n FROM notifications_received WHERE tenant_id = ${tenant.id}`,
    );
    expect(Number(stored[0]!.n)).toBe(0);
  });

  it('rejects a missing or wrong API key, another application, an unknown subscription and a malformed payload', async () => {
    const { read, sellerId } = await connectedWithInbox();
    await control(`/sellers/${sellerId}/orders`, {});
    const [delivery] = await read();
    const event = delivery!.body;
    expect((await post(event, null)).status).toBe(401);
    expect((await post(event, `${KEY}x`)).status).toBe(401);
    const detail = event.detail as { NotificationMetadata: Record<string, string> };
    const other = {
      ...event,
      detail: {
        ...detail,
        NotificationMetadata: { ...detail.NotificationMetadata, ApplicationId: 'amzn1.sp.solution.other' },
      },
    };
    expect((await post(other)).status).toBe(403);
    const unknown = {
      ...event,
      detail: {
        ...detail,
        NotificationMetadata: {
          ...detail.NotificationMetadata,
          SubscriptionId: crypto.randomUUID(),
          NotificationId: crypto.randomUUID(),
        },
      },
    };
    expect((await post(unknown)).status).toBe(403);
    const bad = await post({ detail: { NotificationType: 'ORDER_CHANGE' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    expect(
      (
        await api('/api/webhooks/amazon', {
          method: 'POST',
          headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
          body: '{',
        })
      ).status,
    ).toBe(400);
  });
});

type Detail = {
  NotificationType: string;
  Payload: Record<string, unknown>;
  NotificationMetadata: Record<string, string>;
};

/** The delivery with other metadata (and a fresh NotificationId, so each variant is new). */
function variant(event: InboxEntry['body'], meta: Record<string, string>, payload?: Record<string, unknown>) {
  const detail = event.detail as Detail;
  return {
    ...event,
    detail: {
      ...detail,
      ...(payload ? { Payload: payload } : {}),
      NotificationMetadata: { ...detail.NotificationMetadata, NotificationId: crypto.randomUUID(), ...meta },
    },
  };
}

const storedCount = async (tenantId: string) =>
  Number(
    (
      await queryRows<{ n: number }>(
        testDb(),
        sql`SELECT count(*)::int AS n FROM notifications_received WHERE tenant_id = ${tenantId}`,
      )
    )[0]!.n,
  );

const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

/** Empties a client's bucket and keeps it empty until the next request (see rate-limit.test.ts). */
async function emptyBucket(subject: ClientSubject, bucket: string): Promise<void> {
  const stub = clientLimiter(env, subject);
  const current = (await stub.state()).find((b) => b.bucket === bucket)!;
  await stub.acquire({ bucket, rate: 1e-9, burst: current.burst, cost: 0 });
  await stub.drain(bucket);
}

describe('POST /api/webhooks/amazon refuses before it reads or stores anything', () => {
  it('checks the API key before reading the body: a body that never ends gets 401 at once', async () => {
    const endless = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"detail": {"NotificationType": "'));
          // Never closed: reading the whole body would never finish.
        },
      });
    const keys: Record<string, string>[] = [{}, { 'x-api-key': `${KEY}x` }];
    for (const headers of keys) {
      const res = await api('/api/webhooks/amazon', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: endless(),
      });
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe('UNAUTHORIZED');
    }
    // Malformed JSON without the key is refused for the key, not parsed.
    const bad = await api('/api/webhooks/amazon', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(bad.status).toBe(401);
  });

  it('refuses a body over 64 KiB with 413 in the envelope and stores nothing', async () => {
    const { tenant, sellerId, read } = await connectedWithInbox();
    await control(`/sellers/${sellerId}/orders`, {});
    const [delivery] = await read();
    const event = variant(delivery!.body, {});
    const padding = 'x'.repeat(64 * 1024);
    const big = { ...event, detail: { ...event.detail, Padding: padding } };
    const res = await post(big);
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe('PAYLOAD_TOO_LARGE');
    // Without a Content-Length (streamed), the limit holds too.
    const streamed = new Blob([JSON.stringify(big)]).stream();
    const chunked = await api('/api/webhooks/amazon', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': KEY },
      body: streamed,
    });
    expect(chunked.status).toBe(413);
    expect(await storedCount(tenant.id)).toBe(0);
    expect(await jobsOf(tenant.id, 'orders')).toEqual([]);
    // The same notification at its real size is accepted.
    expect(((await (await post(event)).json()) as { status: string }).status).toBe('queued');
  });

  it('limits requests per client IP with 429 and Retry-After, before the key or the body', async () => {
    const { tenant, sellerId, read } = await connectedWithInbox();
    await control(`/sellers/${sellerId}/orders`, {});
    const [delivery] = await read();
    const ip = uniqueIp();
    const from = (body: unknown, key: string | null = KEY) =>
      api('/api/webhooks/amazon', {
        method: 'POST',
        json: body,
        headers: { 'cf-connecting-ip': ip, ...(key ? { 'x-api-key': key } : {}) },
      });
    const first = await from(variant(delivery!.body, {}), null);
    expect(first.status).toBe(401);
    expect(first.headers.get('ratelimit-limit')).toBe(String(WEBHOOK_IP_LIMIT.limit * 100));
    await emptyBucket({ kind: 'ip', id: ip }, WEBHOOK_IP_LIMIT.bucket);
    const refused = await from(variant(delivery!.body, {}));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await errorCode(refused)).toBe('RATE_LIMITED');
    expect(await storedCount(tenant.id)).toBe(0);
    // Another address is not limited.
    expect((await post(variant(delivery!.body, {}))).status).toBe(200);
    expect(await storedCount(tenant.id)).toBe(1);
  });

  it('refuses a notification published more than 25 hours ago, in the future, or without PublishTime', async () => {
    const { tenant, sellerId, read } = await connectedWithInbox();
    await control(`/sellers/${sellerId}/orders`, {});
    const [delivery] = await read();
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    for (const publishTime of [hoursAgo(26), hoursAgo(-1), 'yesterday']) {
      const res = await post(variant(delivery!.body, { PublishTime: publishTime }));
      expect(res.status, publishTime).toBe(400);
      expect(await errorCode(res)).toBe('VALIDATION_FAILED');
    }
    const detail = delivery!.body.detail as Detail;
    const { PublishTime: _dropped, ...withoutPublishTime } = detail.NotificationMetadata;
    const missing = await post({
      ...delivery!.body,
      detail: {
        ...detail,
        NotificationMetadata: { ...withoutPublishTime, NotificationId: crypto.randomUUID() },
      },
    });
    expect(missing.status).toBe(400);
    expect(await storedCount(tenant.id)).toBe(0);
    expect(await jobsOf(tenant.id, 'orders')).toEqual([]);
    // A delivery EventBridge retried for almost a day is still accepted.
    const retried = await post(variant(delivery!.body, { PublishTime: hoursAgo(23.5) }));
    expect(((await retried.json()) as { status: string }).status).toBe('queued');
  });

  it('requires the SellerId and the notification type of the subscription', async () => {
    const { tenant, sellerId, subs, read } = await connectedWithInbox();
    await control(`/sellers/${sellerId}/orders`, {});
    const [delivery] = await read();
    const detail = delivery!.body.detail as Detail;
    const order = detail.Payload.OrderChangeNotification as Record<string, unknown>;
    const { SellerId: _seller, ...withoutSeller } = order;
    for (const payload of [
      { OrderChangeNotification: withoutSeller },
      { OrderChangeNotification: { ...order, SellerId: 'A0THERSELLER01' } },
      { OrderChangeNotification: { ...order, SellerId: 42 } },
    ]) {
      const res = await post(variant(delivery!.body, {}, payload));
      expect(res.status).toBe(403);
      expect(await errorCode(res)).toBe('FORBIDDEN');
    }
    // An ORDER_CHANGE under the ANY_OFFER_CHANGED subscription's id.
    const offers = subs.find((s) => s.notification_type === 'ANY_OFFER_CHANGED')!;
    const crossed = await post(variant(delivery!.body, { SubscriptionId: offers.subscription_id }));
    expect(crossed.status).toBe(403);
    expect(await storedCount(tenant.id)).toBe(0);
    expect(await jobsOf(tenant.id, 'orders')).toEqual([]);
  });
});

describe('notification data protection', () => {
  it('stores only when, whose and which entity: never the payload with the buyer’s postal code or other sellers’ offers', async () => {
    const { tenant, sellerId, read } = await connectedWithInbox();
    const created = await control<{ orderId: string }>(`/sellers/${sellerId}/orders`, {});
    const [delivery] = await read();
    const detail = delivery!.body.detail as Detail & { EventTime: string };
    const summary = (detail.Payload.OrderChangeNotification as { Summary: { DestinationPostalCode: string } })
      .Summary;
    expect(summary.DestinationPostalCode).toBeTruthy();
    const res = (await (await post(delivery!.body)).json()) as { status: string; notificationId: string };
    expect(res.status).toBe('queued');
    const [row] = await queryRows<{ payload: Record<string, unknown>; text: string }>(
      testDb(),
      sql`SELECT payload, payload::text AS text FROM notifications_received WHERE notification_id = ${res.notificationId}`,
    );
    expect(row!.payload).toEqual({
      eventTime: new Date(detail.EventTime).toISOString(),
      publishTime: new Date(detail.NotificationMetadata.PublishTime!).toISOString(),
      sellerId,
      target: { amazonOrderId: created.orderId },
    });
    expect(row!.text).not.toContain(summary.DestinationPostalCode);
    for (const key of ['Payload', 'Summary', 'PostalCode', 'OrderItems'])
      expect(row!.text).not.toContain(key);
    await settle(tenant.id, (await jobsOf(tenant.id, 'orders'))[0]!.id);
  });

  it('the daily cron deletes notifications received more than 30 days ago, and nothing newer', async () => {
    const mine = await createTenant();
    const other = await createTenant();
    const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);
    const row = (tenantId: string, age: number) => ({
      tenantId,
      notificationId: crypto.randomUUID(),
      notificationType: 'ORDER_CHANGE',
      payload: { eventTime: null, publishTime: null, sellerId: null, target: null },
      receivedAt: daysAgo(age),
    });
    const rows = [row(mine.id, 31), row(mine.id, 45), row(mine.id, 29), row(mine.id, 0), row(other.id, 31)];
    await testDb().insert(notificationsReceived).values(rows);
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => {
      lines.push(line);
    });
    try {
      await handleScheduled(
        createScheduledController({ cron: '0 2 * * *', scheduledTime: Date.now() }),
        { ...appEnv, LOG_LEVEL: 'info' },
        createExecutionContext(),
        { tenantIds: [mine.id] },
      );
    } finally {
      vi.restoreAllMocks();
    }
    const left = await testDb()
      .select({ id: notificationsReceived.notificationId, tenantId: notificationsReceived.tenantId })
      .from(notificationsReceived)
      .where(inArray(notificationsReceived.tenantId, [mine.id, other.id]));
    expect(left.map((r) => r.id).sort()).toEqual(
      [rows[2]!, rows[3]!, rows[4]!].map((r) => r.notificationId).sort(),
    );
    const maintenance = lines.map((l) => JSON.parse(l)).find((l) => l.message === 'daily maintenance');
    expect(maintenance).toMatchObject({ purgedNotifications: 2 });
  });
});
