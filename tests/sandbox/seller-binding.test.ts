import { describe, expect, it } from 'vitest';
import { validateResponse } from './contract';
import { CLIENT_ID, CLIENT_SECRET, connect, control, type Session, sp, tokenRequest } from './helpers';

const US = 'ATVPDKIKX0DER';
const LISTINGS = '/listings/2021-08-01/items/{sellerId}';
const LISTING = '/listings/2021-08-01/items/{sellerId}/{sku}';
const BY_ID = '/notifications/v1/subscriptions/{notificationType}/{subscriptionId}';
const DENIED = { errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.' }] };

async function body(model: string, path: string, method: string, res: Response, status: number) {
  expect(res.status).toBe(status);
  const json = await res.json();
  expect(validateResponse(model, path, method, status, json)).toEqual([]);
  return json;
}

async function grantless(): Promise<Session> {
  const res = await tokenRequest({
    grant_type: 'client_credentials',
    scope: 'sellingpartnerapi::notifications',
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
  });
  const { access_token } = (await res.json()) as { access_token: string };
  return { sellerId: 'app', accessToken: access_token, refreshToken: '' };
}

describe('a grant is bound to its seller (Listings Items {sellerId})', () => {
  it("answers 403 Unauthorized in Amazon's error shape for another seller's id, 200 for its own", async () => {
    const a = await connect();
    const b = await connect();
    const own = await body(
      'listings',
      LISTINGS,
      'get',
      await sp(a, `/listings/2021-08-01/items/${a.sellerId}?marketplaceIds=${US}&pageSize=1`),
      200,
    );
    const sku = (own as { items: { sku: string }[] }).items[0]!.sku;
    await body(
      'listings',
      LISTING,
      'get',
      await sp(a, `/listings/2021-08-01/items/${a.sellerId}/${encodeURIComponent(sku)}?marketplaceIds=${US}`),
      200,
    );
    const search = await sp(a, `/listings/2021-08-01/items/${b.sellerId}?marketplaceIds=${US}&pageSize=1`);
    expect(await body('listings', LISTINGS, 'get', search, 403)).toEqual(DENIED);
    const item = await sp(
      a,
      `/listings/2021-08-01/items/${b.sellerId}/${encodeURIComponent(sku)}?marketplaceIds=${US}`,
    );
    expect(await body('listings', LISTING, 'get', item, 403)).toEqual(DENIED);
    // B's own token reads B: the refusal is about the grant, not about B.
    expect(
      (await sp(b, `/listings/2021-08-01/items/${b.sellerId}?marketplaceIds=${US}&pageSize=1`)).status,
    ).toBe(200);
  });

  it("keeps the binding across refreshes: a refreshed token still only reads its own seller's listings", async () => {
    const a = await connect();
    const b = await connect();
    const refreshed = await tokenRequest({
      grant_type: 'refresh_token',
      refresh_token: a.refreshToken,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    const { access_token } = (await refreshed.json()) as { access_token: string };
    const again: Session = { ...a, accessToken: access_token };
    expect(
      (await sp(again, `/listings/2021-08-01/items/${a.sellerId}?marketplaceIds=${US}&pageSize=1`)).status,
    ).toBe(200);
    const other = await sp(again, `/listings/2021-08-01/items/${b.sellerId}?marketplaceIds=${US}&pageSize=1`);
    expect(await body('listings', LISTINGS, 'get', other, 403)).toEqual(DENIED);
  });
});

describe('notifications getSubscriptionById and deleteSubscriptionById (grantless)', () => {
  it("reads and deletes a seller's subscription by id; afterwards it is gone everywhere, others stay", async () => {
    const app = await grantless();
    const a = await connect();
    const b = await connect();
    const dest = (await (
      await sp(app, '/notifications/v1/destinations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: `binding-${a.sellerId}`,
          resourceSpecification: { eventBridge: { region: 'us-east-1', accountId: '123456789012' } },
        }),
      })
    ).json()) as { payload: { destinationId: string } };
    const subscribe = async (s: Session) =>
      (
        (await (
          await sp(s, '/notifications/v1/subscriptions/ORDER_CHANGE', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ payloadVersion: '1.0', destinationId: dest.payload.destinationId }),
          })
        ).json()) as { payload: { subscriptionId: string } }
      ).payload.subscriptionId;
    const idA = await subscribe(a);
    const idB = await subscribe(b);
    const byId = (type: string, id: string, method = 'GET') =>
      sp(app, `/notifications/v1/subscriptions/${type}/${id}`, { method });

    expect(await body('notifications', BY_ID, 'get', await byId('ORDER_CHANGE', idA), 200)).toEqual({
      payload: { subscriptionId: idA, payloadVersion: '1.0', destinationId: dest.payload.destinationId },
    });
    // The type is part of the address: the right id under another type is not found.
    await body('notifications', BY_ID, 'delete', await byId('ANY_OFFER_CHANGED', idA, 'DELETE'), 404);
    expect(
      await body('notifications', BY_ID, 'delete', await byId('ORDER_CHANGE', idA, 'DELETE'), 200),
    ).toEqual({});
    expect((await sp(a, '/notifications/v1/subscriptions/ORDER_CHANGE')).status).toBe(404);
    await body('notifications', BY_ID, 'get', await byId('ORDER_CHANGE', idA), 404);
    await body('notifications', BY_ID, 'delete', await byId('ORDER_CHANGE', idA, 'DELETE'), 404);
    // B's subscription is untouched.
    expect((await byId('ORDER_CHANGE', idB)).status).toBe(200);
    expect((await sp(b, '/notifications/v1/subscriptions/ORDER_CHANGE')).status).toBe(200);
    // A can subscribe again after the deletion (no leftover conflict).
    expect(await subscribe(a)).not.toBe(idA);
  });
});

describe('getMarketplaceParticipations for a seller active in no marketplace (noParticipation fault)', () => {
  it('lists every marketplace as not participating, in the official schema', async () => {
    const s = await connect();
    expect((await control(`/sellers/${s.sellerId}/faults`, { noParticipation: true })).status).toBe(200);
    const list = (await body(
      'sellers',
      '/sellers/v1/marketplaceParticipations',
      'get',
      await sp(s, '/sellers/v1/marketplaceParticipations'),
      200,
    )) as { payload: { participation: { isParticipating: boolean } }[] };
    expect(list.payload.length).toBeGreaterThan(0);
    expect(list.payload.every((p) => !p.participation.isParticipating)).toBe(true);
    await control(`/sellers/${s.sellerId}/faults`, undefined, 'DELETE');
    const again = (await (await sp(s, '/sellers/v1/marketplaceParticipations')).json()) as typeof list;
    expect(again.payload.every((p) => p.participation.isParticipating)).toBe(true);
  });
});
