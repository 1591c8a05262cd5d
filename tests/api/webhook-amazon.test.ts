import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client';
import { api, testDb } from './harness';
import { connectSettled, control, settle, US } from './sync-helpers';
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
