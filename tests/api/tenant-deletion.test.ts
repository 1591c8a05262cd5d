import { env } from 'cloudflare:workers';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sellerQuota } from '../../durable-objects/seller-quota';
import { queryRows } from '../../src/db/client';
import { amazonSubscriptions, users } from '../../src/db/schema';
import { hashPassword } from '../../src/lib/password';
import { NOTIFICATION_TYPES } from '../../src/services/amazon-connect/subscribe';
import {
  api,
  registerAccount,
  STRONG_PASSWORD,
  type TestUser,
  testDb,
  tokenFor,
  uniqueEmail,
  uniqueIp,
} from './harness';
import {
  type Connected,
  connectSettled,
  connectTenant,
  consentFlow,
  control,
  freshSeller,
  REDIRECT,
  sandbox,
  sellerAccessToken,
  settle,
  US,
} from './sync-helpers';
import { nonEmptyTables, tenantState } from './tenant-rows';
import { TEST_SECRETS } from './test-secrets';

/** The shared quota object of a selling partner, named as the sync names it. */
const sellerLimiter = (sellingPartnerId: string) =>
  sellerQuota(env, { type: 'SPAPI', sellingPartnerId, tenantId: 'unused-for-sellers' });

/** Tables filled from Seller Central that a connected, synced tenant has rows in. */
const SYNCED_TABLES = [
  'amazon_subscriptions',
  'finance_events',
  'inventory_history',
  'notifications_received',
  'order_items',
  'orders',
  'products',
  'sales_daily',
  'sync_cursors',
  'sync_jobs',
  'tenant_marketplaces',
];

/** What disconnecting with deleteData keeps: the account itself, its settings, and Ads data. */
const KEPT_ON_DISCONNECT = new Set([
  'users',
  'refresh_tokens',
  'invite_tokens',
  'activity_log',
  'alerts',
  'alert_settings',
  'email_outbox',
  'exports',
  'tenants (own row)',
]);

/** The subscription id Amazon holds for the seller, per notification type (null: none). */
async function subscriptionsAtAmazon(sellerId: string): Promise<Record<string, string | null>> {
  const token = await sellerAccessToken(sellerId);
  const out: Record<string, string | null> = {};
  for (const type of NOTIFICATION_TYPES) {
    // Ground truth, not load: refill the seller's sandbox buckets so this read is never a 429.
    await control(`/sellers/${sellerId}/rate-limits/reset`, {});
    const res = await sandbox(`/notifications/v1/subscriptions/${type}`, {
      headers: { 'x-amz-access-token': token },
    });
    if (res.status !== 200 && res.status !== 404)
      throw new Error(`getSubscription answered ${res.status}: ${await res.text()}`);
    out[type] =
      res.status === 200
        ? ((await res.json()) as { payload: { subscriptionId: string } }).payload.subscriptionId
        : null;
  }
  return out;
}

const NONE = Object.fromEntries(NOTIFICATION_TYPES.map((t) => [t, null]));

/** An ORDER_CHANGE through the real webhook, then its sync, so notifications_received has a row. */
async function receiveNotification(c: { tenantId: string; sellerId: string }): Promise<void> {
  const [sub] = await testDb()
    .select({ id: amazonSubscriptions.subscriptionId })
    .from(amazonSubscriptions)
    .where(
      and(
        eq(amazonSubscriptions.tenantId, c.tenantId),
        eq(amazonSubscriptions.notificationType, 'ORDER_CHANGE'),
      ),
    );
  const [order] = await queryRows<{ id: string }>(
    testDb(),
    sql`SELECT amazon_order_id AS id FROM orders WHERE tenant_id = ${c.tenantId} LIMIT 1`,
  );
  const res = await api('/api/webhooks/amazon', {
    method: 'POST',
    headers: { 'x-api-key': TEST_SECRETS.NOTIFICATIONS_API_KEY },
    json: {
      NotificationType: 'ORDER_CHANGE',
      Payload: { OrderChangeNotification: { AmazonOrderId: order!.id, SellerId: c.sellerId } },
      NotificationMetadata: {
        ApplicationId: env.AMAZON_APPLICATION_ID,
        SubscriptionId: sub!.id,
        PublishTime: new Date().toISOString(),
        NotificationId: crypto.randomUUID(),
      },
    },
  });
  const body = (await res.json()) as { jobId: string };
  expect(res.status, JSON.stringify(body)).toBe(200);
  // Run the sync it queued now, so no job writes after the deletion under test.
  await settle(c.tenantId, body.jobId);
}

async function syncedTenant(): Promise<Connected> {
  const c = await connectSettled();
  await receiveNotification({ tenantId: c.tenant.id, sellerId: c.sellerId });
  return c;
}

const disconnect = (as: TestUser, query = '') =>
  api(`/api/auth/connect-amazon${query}`, { method: 'DELETE', as });

describe('DELETE /api/auth/connect-amazon', () => {
  it("deletes the seller's notification subscriptions at Amazon and here; synced data stays without deleteData", async () => {
    const c = await syncedTenant();
    const atAmazon = await subscriptionsAtAmazon(c.sellerId);
    expect(Object.values(atAmazon).every((id) => id !== null)).toBe(true);
    const before = await nonEmptyTables(c.tenant.id);
    expect(before).toEqual(expect.arrayContaining([...SYNCED_TABLES, 'amazon_credentials']));

    const res = await disconnect(c.tenant.owner);
    expect(await res.json()).toEqual({ success: true, dataDeleted: false });
    expect(await subscriptionsAtAmazon(c.sellerId)).toEqual(NONE);
    expect(await nonEmptyTables(c.tenant.id)).toEqual(
      before.filter((t) => t !== 'amazon_credentials' && t !== 'amazon_subscriptions'),
    );

    // Later, the data on request: the connection is already gone, the data goes now.
    const again = await disconnect(c.tenant.owner, '?deleteData=true');
    expect(await again.json()).toEqual({ success: false, dataDeleted: true });
    expect((await nonEmptyTables(c.tenant.id)).filter((t) => !KEPT_ON_DISCONNECT.has(t))).toEqual([]);
  });

  it('with deleteData=true deletes every table synced from Seller Central in one call; another tenant is untouched', async () => {
    const c = await syncedTenant();
    const other = await syncedTenant();
    const otherBefore = await tenantState(other.tenant.id);
    const otherAtAmazon = await subscriptionsAtAmazon(other.sellerId);
    const [{ version: versionBefore }] = (await queryRows<{ version: number }>(
      testDb(),
      sql`SELECT data_version::int AS version FROM tenants WHERE id = ${c.tenant.id}`,
    )) as [{ version: number }];

    const res = await disconnect(c.tenant.owner, '?deleteData=true');
    expect(await res.json()).toEqual({ success: true, dataDeleted: true });

    // Every tenant-owned table (found in the catalogue, so new tables count) is empty but the kept ones.
    expect((await nonEmptyTables(c.tenant.id)).filter((t) => !KEPT_ON_DISCONNECT.has(t))).toEqual([]);
    expect(await subscriptionsAtAmazon(c.sellerId)).toEqual(NONE);
    const [{ version }] = (await queryRows<{ version: number }>(
      testDb(),
      sql`SELECT data_version::int AS version FROM tenants WHERE id = ${c.tenant.id}`,
    )) as [{ version: number }];
    expect(version).toBe(versionBefore + 1);
    expect(await tenantState(other.tenant.id)).toEqual(otherBefore);
    expect(await subscriptionsAtAmazon(other.sellerId)).toEqual(otherAtAmazon);
  });

  it('keeps a subscription at Amazon while another tenant connected to the same seller still uses it', async () => {
    const a = await connectSettled();
    const b = await connectTenant({ sellerId: a.sellerId });
    for (const j of b.jobs) await settle(b.tenant.id, j.jobId);
    const shared = await subscriptionsAtAmazon(a.sellerId);
    const bBefore = await tenantState(b.tenant.id);

    expect((await disconnect(a.tenant.owner)).status).toBe(200);
    expect(await subscriptionsAtAmazon(a.sellerId)).toEqual(shared);
    expect(await tenantState(b.tenant.id)).toEqual(bBefore);

    expect((await disconnect(b.tenant.owner)).status).toBe(200);
    expect(await subscriptionsAtAmazon(a.sellerId)).toEqual(NONE);
  });

  it('changes nothing when Amazon cannot delete the subscriptions (502); repeating the call then works', async () => {
    const c = await syncedTenant();
    const atAmazon = await subscriptionsAtAmazon(c.sellerId);
    const before = await tenantState(c.tenant.id);
    const seller = sellerLimiter(c.sellerId);
    // A learned rate of one call per ~3 h: the next deleteSubscriptionById is further away than
    // any request may wait, so the call to Amazon fails.
    await seller.observe({ operation: 'deleteSubscriptionById', status: 429, rateLimit: '0.0001' });

    const res = await disconnect(c.tenant.owner, '?deleteData=true');
    expect(res.status, await res.clone().text()).toBe(502);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('AMAZON_API_ERROR');
    expect(await tenantState(c.tenant.id)).toEqual(before);
    expect(await subscriptionsAtAmazon(c.sellerId)).toEqual(atAmazon);

    await seller.observe({ operation: 'deleteSubscriptionById', status: 200, rateLimit: '1' });
    const retried = await disconnect(c.tenant.owner, '?deleteData=true');
    expect(await retried.json()).toEqual({ success: true, dataDeleted: true });
    expect(await subscriptionsAtAmazon(c.sellerId)).toEqual(NONE);
  });

  it('refuses unknown query parameters and values, changing nothing', async () => {
    const c = await connectSettled();
    const before = await tenantState(c.tenant.id);
    for (const query of ['?deleteData=yes', '?deleteData=1', '?purge=true'])
      expect((await disconnect(c.tenant.owner, query)).status, query).toBe(400);
    expect(await tenantState(c.tenant.id)).toEqual(before);
  });
});

/** A registered tenant (real password, real session) connected to a fresh seller and synced. */
async function registeredAndSynced() {
  const account = await registerAccount();
  const owner = account.user;
  const sellerId = freshSeller();
  const res = await api('/api/auth/connect-amazon', {
    method: 'POST',
    as: owner,
    json: {
      ...(await consentFlow(owner, sellerId)),
      redirectUri: REDIRECT,
      marketplaceIds: [US],
      region: 'na',
    },
  });
  const body = (await res.json()) as { jobs: { jobId: string }[] };
  expect(res.status, JSON.stringify(body)).toBe(200);
  for (const j of body.jobs) await settle(owner.tenantId, j.jobId);
  await receiveNotification({ tenantId: owner.tenantId, sellerId });
  return { account, owner, sellerId, tenantId: owner.tenantId };
}

async function addAdmin(tenantId: string): Promise<TestUser> {
  const email = uniqueEmail('admin');
  const [row] = await testDb()
    .insert(users)
    .values({
      tenantId,
      email,
      fullName: 'Admin',
      role: 'admin',
      passwordHash: await hashPassword(STRONG_PASSWORD),
    })
    .returning({ id: users.id });
  const token = await tokenFor({ id: row!.id, tenantId, role: 'admin' });
  return {
    id: row!.id,
    email,
    role: 'admin',
    tenantId,
    token,
    headers: { authorization: `Bearer ${token}` },
  };
}

const deleteTenant = (as: TestUser, json?: unknown) =>
  api('/api/tenant', { method: 'DELETE', as, ...(json === undefined ? {} : { json }) });

describe('DELETE /api/tenant', () => {
  it('refuses an admin (even with their own password), a wrong or missing password and extra fields, changing nothing', async () => {
    const { owner, tenantId } = await registeredAndSynced();
    const admin = await addAdmin(tenantId);
    const before = await tenantState(tenantId);

    const byAdmin = await deleteTenant(admin, { password: STRONG_PASSWORD });
    expect(byAdmin.status).toBe(403);
    expect(((await byAdmin.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    const wrong = await deleteTenant(owner, { password: 'Wr0ng!Password' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toMatch(/Password is incorrect/);
    for (const body of [undefined, {}, { password: '' }, { password: STRONG_PASSWORD, force: true }])
      expect((await deleteTenant(owner, body)).status, JSON.stringify(body)).toBe(400);
    expect(await tenantState(tenantId)).toEqual(before);
  });

  it('removes the tenant and every row it owns, revokes every session and unsubscribes at Amazon; another tenant is untouched', async () => {
    const { account, owner, sellerId, tenantId } = await registeredAndSynced();
    const member = await addAdmin(tenantId);
    const other = await syncedTenant();
    const otherBefore = await tenantState(other.tenant.id);
    const otherAtAmazon = await subscriptionsAtAmazon(other.sellerId);
    expect(await nonEmptyTables(tenantId)).toEqual(
      expect.arrayContaining([...SYNCED_TABLES, 'amazon_credentials', 'users', 'refresh_tokens']),
    );

    const res = await deleteTenant(owner, { password: STRONG_PASSWORD });
    expect(res.status, await res.clone().text()).toBe(204);
    expect(await res.text()).toBe('');

    expect(await nonEmptyTables(tenantId)).toEqual([]);
    expect(await subscriptionsAtAmazon(sellerId)).toEqual(NONE);
    // Every session ends at once: access tokens (owner's and members') and the refresh token.
    expect((await api('/api/tenant', { as: owner })).status).toBe(401);
    expect((await api('/api/tenant', { as: member })).status).toBe(401);
    const refresh = await api('/api/auth/refresh', {
      method: 'POST',
      headers: { 'cf-connecting-ip': uniqueIp() },
      json: { refreshToken: account.body.tokens.refreshToken },
    });
    expect(refresh.status).toBe(401);
    const login = await api('/api/auth/login', {
      method: 'POST',
      headers: { 'cf-connecting-ip': uniqueIp() },
      json: { email: account.email, password: STRONG_PASSWORD },
    });
    expect(login.status).toBe(401);

    expect(await tenantState(other.tenant.id)).toEqual(otherBefore);
    expect(await subscriptionsAtAmazon(other.sellerId)).toEqual(otherAtAmazon);
  });
});
