import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sellerQuota } from '../../durable-objects/seller-quota';
import { CONSENT_STATE_TTL_MS, consentState } from '../../src/services/amazon-connect/consent';
import { api, createTenant, type TestTenant } from './harness';
import {
  type ConsentResult,
  connectSettled,
  consentFlow,
  control,
  freshSeller,
  REDIRECT,
  US,
} from './sync-helpers';
import { tenantState } from './tenant-rows';

/** The shared quota object of a selling partner, named as the sync names it. */
const sellerLimiter = (sellingPartnerId: string) =>
  sellerQuota(env, { type: 'SPAPI', sellingPartnerId, tenantId: 'unused-for-sellers' });

/** Calls per operation the limiter has counted (token levels refill with time, so they are left out). */
async function limiterCalls(sellingPartnerId: string) {
  return (await sellerLimiter(sellingPartnerId).operations()).map((o) => [
    o.operation,
    o.calls,
    o.lastCallAt,
  ]);
}

const connect = (tenant: TestTenant, body: Record<string, unknown>) =>
  api('/api/auth/connect-amazon', { method: 'POST', as: tenant.owner, json: body });

const connectBody = (flow: ConsentResult, extra: Record<string, unknown> = {}) => ({
  ...flow,
  redirectUri: REDIRECT,
  marketplaceIds: [US],
  region: 'na',
  ...extra,
});

interface ErrorBody {
  error: { code: string; message: string; details?: { field: string; code: string }[] };
}

async function expectRefusal(res: Response, status: number, detailCode?: string): Promise<ErrorBody> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  const body = JSON.parse(text) as ErrorBody;
  if (detailCode) expect(body.error.details?.map((d) => d.code)).toContain(detailCode);
  return body;
}

describe('H2: the selling partner id is verified with Amazon before it is used', () => {
  it("refuses a seller id the authorization does not belong to, storing nothing and never touching that seller's limiter", async () => {
    const victim = await connectSettled();
    const attacker = await createTenant();
    const ownSeller = freshSeller();
    const victimBefore = await tenantState(victim.tenant.id);
    const attackerBefore = await tenantState(attacker.id);
    const victimLimiter = await limiterCalls(victim.sellerId);
    const victimCounters = await control<Record<string, number>>(`/sellers/${victim.sellerId}/counters`);

    // The attacker authorises its own seller but claims the victim's id.
    const flow = await consentFlow(attacker.owner, ownSeller);
    const res = await connect(attacker, connectBody(flow, { sellingPartnerId: victim.sellerId }));
    const body = await expectRefusal(res, 400, 'seller_mismatch');
    expect(body.error.details?.[0]?.field).toBe('body.sellingPartnerId');

    expect(await tenantState(attacker.id)).toEqual(attackerBefore);
    expect(await tenantState(victim.tenant.id)).toEqual(victimBefore);
    expect(await limiterCalls(victim.sellerId)).toEqual(victimLimiter);
    // Amazon was asked with the attacker's own token: the victim seller saw no call at all.
    expect(await control(`/sellers/${victim.sellerId}/counters`)).toEqual(victimCounters);

    // The same tenant connecting its real seller succeeds: the refusal was about the claim.
    const honest = await connect(attacker, connectBody(await consentFlow(attacker.owner, ownSeller)));
    expect(honest.status, await honest.clone().text()).toBe(200);
    expect(await honest.json()).toMatchObject({ credentials: { sellingPartnerId: ownSeller } });
    const ownCounters = await control<Record<string, number>>(`/sellers/${ownSeller}/counters`);
    // One verification per attempt (the 403 is retried once with the same token), never a storm.
    expect(ownCounters['requests.searchListingsItems']).toBeGreaterThanOrEqual(2);
    expect(ownCounters['requests.searchListingsItems']).toBeLessThanOrEqual(3);
  });

  it('requires the selling partner id (the consent redirect always carries it)', async () => {
    const tenant = await createTenant();
    const before = await tenantState(tenant.id);
    const { sellingPartnerId: _omitted, ...flow } = await consentFlow(tenant.owner, freshSeller());
    await expectRefusal(await connect(tenant, { ...flow, redirectUri: REDIRECT, region: 'na' }), 400);
    expect(await tenantState(tenant.id)).toEqual(before);
  });
});

describe('M7: connect requires the consent state it issued, for this tenant, within an hour', () => {
  it('refuses a missing, foreign, tampered, expired or future state before calling Amazon', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const seller = freshSeller();
    const flow = await consentFlow(tenant.owner, seller);
    const before = await tenantState(tenant.id);
    const ctx = { env: { TOKEN_ENCRYPTION_KEYS: env.TOKEN_ENCRYPTION_KEYS }, tenant: { id: tenant.id } };
    const foreign = (
      (await (
        await api(`/api/auth/connect-amazon/consent-url?redirectUri=${encodeURIComponent(REDIRECT)}`, {
          as: other.owner,
        })
      ).json()) as { state: string }
    ).state;
    const flip = (s: string) => `${s.slice(0, -1)}${s.endsWith('0') ? '1' : '0'}`;
    const expired = await consentState(ctx, { issuedAt: Date.now() - CONSENT_STATE_TTL_MS - 60_000 });
    const future = await consentState(ctx, { issuedAt: Date.now() + 2 * CONSENT_STATE_TTL_MS });

    const { state: _state, ...withoutState } = connectBody(flow);
    await expectRefusal(await connect(tenant, withoutState), 400);
    for (const state of [foreign, flip(flow.state), expired, future, 'nonsense', `${flow.state}.x`])
      await expectRefusal(await connect(tenant, connectBody(flow, { state })), 400, 'invalid_state');

    expect(await tenantState(tenant.id)).toEqual(before);
    // No refusal reached Amazon: LWA issued no token for the seller, and the code is still unspent.
    const counters = await control<Record<string, number>>(`/sellers/${seller}/counters`);
    expect(counters['lwa.accessTokensIssued'] ?? 0).toBe(0);
    const ok = await connect(tenant, connectBody(flow));
    expect(ok.status, await ok.clone().text()).toBe(200);
  });

  it("accepts a state issued within the hour (the service's clock, not the client's)", async () => {
    const tenant = await createTenant();
    const flow = await consentFlow(tenant.owner, freshSeller());
    const ctx = { env: { TOKEN_ENCRYPTION_KEYS: env.TOKEN_ENCRYPTION_KEYS }, tenant: { id: tenant.id } };
    const state = await consentState(ctx, { issuedAt: Date.now() - CONSENT_STATE_TTL_MS + 60_000 });
    const res = await connect(tenant, connectBody(flow, { state }));
    expect(res.status, await res.clone().text()).toBe(200);
  });
});

describe('L9: redirect URIs and sellers with no marketplace', () => {
  it('accepts only https redirect URIs (http only for localhost and 127.0.0.1)', async () => {
    const tenant = await createTenant();
    const before = await tenantState(tenant.id);
    const flow = await consentFlow(tenant.owner, freshSeller());
    const hostile = [
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'http://app.sellerpulse.test/cb',
      'ftp://example.com/cb',
      'https//missing-colon',
    ];
    for (const redirectUri of hostile) {
      const url = `/api/auth/connect-amazon/consent-url?redirectUri=${encodeURIComponent(redirectUri)}`;
      await expectRefusal(await api(url, { as: tenant.owner }), 400);
      await expectRefusal(await connect(tenant, connectBody(flow, { redirectUri })), 400);
      await expectRefusal(
        await api('/api/auth/connect-amazon-ads', {
          method: 'POST',
          as: tenant.owner,
          json: { authorizationCode: 'x', redirectUri, region: 'na' },
        }),
        400,
      );
    }
    expect(await tenantState(tenant.id)).toEqual(before);
    for (const ok of ['https://app.sellerpulse.test/cb', 'http://localhost:8787/cb', 'http://127.0.0.1/cb']) {
      const url = `/api/auth/connect-amazon/consent-url?redirectUri=${encodeURIComponent(ok)}`;
      expect((await api(url, { as: tenant.owner })).status, ok).toBe(200);
    }
    // The code is unspent: every refusal above came before Amazon.
    expect((await connect(tenant, connectBody(flow))).status).toBe(200);
  });

  it('refuses a seller that takes part in no marketplace with a 400 and stores nothing', async () => {
    const tenant = await createTenant();
    const seller = freshSeller();
    await control(`/sellers/${seller}/faults`, { noParticipation: true });
    const before = await tenantState(tenant.id);
    for (const marketplaceIds of [[], [US]]) {
      const flow = await consentFlow(tenant.owner, seller);
      const res = await connect(tenant, connectBody(flow, { marketplaceIds }));
      await expectRefusal(res, 400, marketplaceIds.length === 0 ? 'no_marketplace' : 'invalid_marketplace');
    }
    expect(await tenantState(tenant.id)).toEqual(before);
  });
});
