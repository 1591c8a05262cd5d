import { describe, expect, it } from 'vitest';
import { validateNotification } from './contract';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  connect,
  control,
  createReport,
  type Session,
  sp,
  tokenRequest,
} from './helpers';

interface Delivered {
  headers: Record<string, string>;
  body: {
    version: string;
    id: string;
    'detail-type': string;
    source: string;
    account: string;
    time: string;
    region: string;
    resources: unknown[];
    detail: Record<string, unknown>;
  };
}

const inbox = async (sellerId: string, name: string) =>
  ((await (await control(`/sellers/${sellerId}/inbox/${name}`)).json()) as { received: Delivered[] })
    .received;

async function withInbox(s: Session, name: string) {
  await control(
    `/sellers/${s.sellerId}/notifications/target`,
    { url: `inbox://${name}`, headerName: 'x-sandbox-key', headerValue: 'secret-1' },
    'PUT',
  );
}

const notificationId = (d: Delivered) =>
  String(
    (d.body.detail.NotificationMetadata as Record<string, string> | undefined)?.NotificationId ??
      (d.body.detail.notificationMetadata as Record<string, string>).notificationId,
  );

describe('notifications', () => {
  it('emits ORDER_CHANGE in an EventBridge envelope with the API-key header when a new order arrives', async () => {
    const s = await connect();
    await withInbox(s, 'orders');
    const res = await control(`/sellers/${s.sellerId}/orders`, {});
    expect(res.status).toBe(201);
    const { orderId } = (await res.json()) as { orderId: string };
    const [got] = await inbox(s.sellerId, 'orders');
    expect(got!.headers).toEqual({ 'x-sandbox-key': 'secret-1' });
    expect(got!.body).toMatchObject({
      version: '0',
      'detail-type': 'ORDER_CHANGE',
      region: 'us-east-1',
      resources: [],
    });
    expect(got!.body.source).toMatch(/^aws\.partner\/sellingpartnerapi\.amazon\//);
    expect(validateNotification('ORDER_CHANGE', got!.body.detail)).toEqual([]);
    expect(JSON.stringify(got!.body.detail)).toContain(orderId);
    // The new order is visible through the SP-API right away.
    const order = await sp(s, `/orders/2026-01-01/orders/${orderId}`);
    expect(order.status).toBe(200);
  });

  it('emits ANY_OFFER_CHANGED on a price change and FBA_INVENTORY_AVAILABILITY_CHANGES on request, both schema-valid', async () => {
    const s = await connect();
    await withInbox(s, 'market');
    const summary = (await (
      await control(
        `/sellers/${s.sellerId}/orders?date=${new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10)}`,
      )
    ).json()) as { orders: { items: { sku: string }[] }[] };
    const sku = summary.orders[0]!.items[0]!.sku;
    await control(`/sellers/${s.sellerId}/prices`, { sku, marketplaceId: 'ATVPDKIKX0DER', price: 12.34 });
    await control(`/sellers/${s.sellerId}/notifications`, { type: 'FBA_INVENTORY_AVAILABILITY_CHANGES' });
    const got = await inbox(s.sellerId, 'market');
    expect(got.map((g) => g.body['detail-type'])).toEqual([
      'ANY_OFFER_CHANGED',
      'FBA_INVENTORY_AVAILABILITY_CHANGES',
    ]);
    expect(validateNotification('ANY_OFFER_CHANGED', got[0]!.body.detail)).toEqual([]);
    expect(validateNotification('FBA_INVENTORY_AVAILABILITY_CHANGES', got[1]!.body.detail)).toEqual([]);
  });

  it('emits REPORT_PROCESSING_FINISHED when a report finishes (from a Durable Object alarm)', async () => {
    const s = await connect();
    await withInbox(s, 'reports');
    const reportId = await createReport(s, 'GET_MERCHANT_LISTINGS_ALL_DATA');
    let got: Delivered[] = [];
    for (let i = 0; i < 40 && got.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      got = await inbox(s.sellerId, 'reports');
    }
    expect(got).toHaveLength(1);
    expect(validateNotification('REPORT_PROCESSING_FINISHED', got[0]!.body.detail)).toEqual([]);
    expect(got[0]!.body.detail).toMatchObject({
      payload: { reportProcessingFinishedNotification: { reportId, processingStatus: 'DONE' } },
    });
  });

  it('delivers duplicates and out-of-order notifications when those faults are on', async () => {
    const s = await connect();
    await withInbox(s, 'faulty');
    await control(`/sellers/${s.sellerId}/faults`, {
      duplicateNotifications: true,
      outOfOrderNotifications: true,
    });
    const res = await control(`/sellers/${s.sellerId}/notifications`, {
      notifications: [{ type: 'ANY_OFFER_CHANGED' }, { type: 'FBA_INVENTORY_AVAILABILITY_CHANGES' }],
    });
    expect(res.status).toBe(200);
    const got = await inbox(s.sellerId, 'faulty');
    expect(got.map((g) => g.body['detail-type'])).toEqual([
      'FBA_INVENTORY_AVAILABILITY_CHANGES',
      'FBA_INVENTORY_AVAILABILITY_CHANGES',
      'ANY_OFFER_CHANGED',
      'ANY_OFFER_CHANGED',
    ]);
    expect(notificationId(got[0]!)).toBe(notificationId(got[1]!));
  });

  it('routes through an SP-API subscription to the target attached to its destination', async () => {
    const s = await connect();
    const grant = (await (
      await tokenRequest({
        grant_type: 'client_credentials',
        scope: 'sellingpartnerapi::notifications',
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      })
    ).json()) as { access_token: string };
    const dest = (await (
      await sp({ ...s, accessToken: grant.access_token }, '/notifications/v1/destinations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'to-app',
          resourceSpecification: { eventBridge: { region: 'eu-west-1', accountId: '111122223333' } },
        }),
      })
    ).json()) as { payload: { destinationId: string } };
    const sub = (await (
      await sp(s, '/notifications/v1/subscriptions/ORDER_CHANGE', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ payloadVersion: '1.0', destinationId: dest.payload.destinationId }),
      })
    ).json()) as { payload: { subscriptionId: string } };
    const dup = await sp(s, '/notifications/v1/subscriptions/ORDER_CHANGE', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payloadVersion: '1.0', destinationId: dest.payload.destinationId }),
    });
    expect(dup.status).toBe(409);
    expect(
      (
        await control(
          `/destinations/${dest.payload.destinationId}/target`,
          { url: 'inbox://via-sub', headerName: 'x-api-key', headerValue: 'k' },
          'PUT',
        )
      ).status,
    ).toBe(200);
    await control(`/sellers/${s.sellerId}/orders`, {});
    const got = await inbox(s.sellerId, 'via-sub');
    expect(got).toHaveLength(1);
    expect(got[0]!.body).toMatchObject({ account: '111122223333', region: 'eu-west-1' });
    expect(got[0]!.body.detail).toMatchObject({
      NotificationMetadata: {
        SubscriptionId: sub.payload.subscriptionId,
        ApplicationId: 'amzn1.sp.solution.sandbox',
      },
    });
  });

  it('rejects grantless-only calls with a seller token and seller calls with a grantless token', async () => {
    const s = await connect();
    const grant = (await (
      await tokenRequest({
        grant_type: 'client_credentials',
        scope: 'sellingpartnerapi::notifications',
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      })
    ).json()) as { access_token: string };
    expect(
      (await sp({ ...s, accessToken: grant.access_token }, '/sellers/v1/marketplaceParticipations')).status,
    ).toBe(403);
  });
});

describe('notification payload sweep', () => {
  it('every product in every marketplace yields schema-valid ANY_OFFER_CHANGED and inventory notifications, and orders of every state valid ORDER_CHANGE', async () => {
    const { makeSeller } = await import('../../workers/amazon-sandbox/src/data/seller');
    const { productsFor } = await import('../../workers/amazon-sandbox/src/data/products');
    const { MARKETPLACES } = await import('../../workers/amazon-sandbox/src/data/marketplaces');
    const { offersAt } = await import('../../workers/amazon-sandbox/src/data/offers');
    const { ordersForDay } = await import('../../workers/amazon-sandbox/src/data/orders');
    const payloads = await import('../../workers/amazon-sandbox/src/notify/payloads');
    const { notificationBody } = await import('../../workers/amazon-sandbox/src/notify/envelope');
    const seller = makeSeller('A2DEMOSELLER01');
    const now = Date.now();
    const meta = {
      applicationId: 'app',
      subscriptionId: 'sub',
      notificationId: 'n',
      eventMs: now,
      publishMs: now,
    };
    for (const mp of MARKETPLACES) {
      for (const p of productsFor(seller)) {
        const offer = notificationBody(
          'ANY_OFFER_CHANGED',
          payloads.anyOfferChangedPayload(seller, offersAt(seller, p.asin, mp, now), now, 'External'),
          meta,
        );
        expect(validateNotification('ANY_OFFER_CHANGED', offer)).toEqual([]);
        const inv = notificationBody(
          'FBA_INVENTORY_AVAILABILITY_CHANGES',
          payloads.inventoryChangePayload(seller, p, [mp], now),
          meta,
        );
        expect(validateNotification('FBA_INVENTORY_AVAILABILITY_CHANGES', inv)).toEqual([]);
      }
    }
    for (const day of [seller.endDay, seller.endDay - 1, seller.endDay - 30]) {
      for (const o of ordersForDay(seller, day).filter((x) => x.createdMs <= now)) {
        const body = notificationBody(
          'ORDER_CHANGE',
          payloads.orderChangePayload(seller, o, now, 'OrderStatusChange'),
          meta,
        );
        expect(validateNotification('ORDER_CHANGE', body)).toEqual([]);
      }
    }
  });
});
