import { describe, expect, it } from 'vitest';
import {
  authorize,
  CLIENT_ID,
  CLIENT_SECRET,
  call,
  connect,
  control,
  freshSellerId,
  sp,
  tokenRequest,
} from './helpers';

describe('Login with Amazon and consent', () => {
  it('shows a seller picker when no seller is chosen, defaulting to the demo seller', async () => {
    const res = await call(
      '/apps/authorize/consent?application_id=amzn1.sp.solution.x&state=abc&version=beta&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb',
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('A2DEMOSELLER01');
    expect(html).toContain('name="selling_partner_id"');
  });

  it('redirects back with spapi_oauth_code, state and selling_partner_id', async () => {
    const seller = freshSellerId();
    const res = await call(
      `/apps/authorize/consent?application_id=amzn1.sp.solution.x&state=xyz&version=beta&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb%3Fa%3D1&selling_partner_id=${seller}`,
      { redirect: 'manual' },
    );
    expect(res.status).toBe(302);
    const url = new URL(res.headers.get('location')!);
    expect(url.origin + url.pathname).toBe('https://app.example.com/cb');
    expect(url.searchParams.get('a')).toBe('1');
    expect(url.searchParams.get('state')).toBe('xyz');
    expect(url.searchParams.get('selling_partner_id')).toBe(seller);
    expect(url.searchParams.get('spapi_oauth_code')).toMatch(/^ANsbx/);
  });

  it('rejects a consent request without redirect_uri', async () => {
    expect((await call('/apps/authorize/consent?application_id=x&state=s')).status).toBe(400);
  });

  it('exchanges a code once for bearer tokens that last an hour', async () => {
    const seller = freshSellerId();
    const code = await authorize(seller);
    const fields = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'https://app.example.com/cb',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    };
    const res = await tokenRequest(fields);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    expect(String(body.access_token)).toMatch(/^Atza\|/);
    expect(String(body.refresh_token)).toMatch(/^Atzr\|/);
    const again = await tokenRequest(fields);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('answers invalid_client for a wrong secret and invalid_grant for a bad code or redirect_uri', async () => {
    const code = await authorize(freshSellerId());
    const wrongSecret = await tokenRequest({
      grant_type: 'authorization_code',
      code,
      client_id: CLIENT_ID,
      client_secret: 'nope',
    });
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toEqual({
      error: 'invalid_client',
      error_description: expect.any(String),
    });
    const wrongRedirect = await tokenRequest({
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'https://evil.example.com',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(await wrongRedirect.json()).toMatchObject({ error: 'invalid_grant' });
    const garbage = await tokenRequest({
      grant_type: 'authorization_code',
      code: 'garbage',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('requires a form-encoded body', async () => {
    const res = await call('/auth/o2/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('refreshes access tokens, and fails with invalid_grant once the refresh token is revoked or expired', async () => {
    const s = await connect();
    const refresh = () =>
      tokenRequest({
        grant_type: 'refresh_token',
        refresh_token: s.refreshToken,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      });
    const ok = (await (await refresh()).json()) as { access_token: string; expires_in: number };
    expect(ok.expires_in).toBe(3600);
    expect(
      (await sp({ ...s, accessToken: ok.access_token }, '/sellers/v1/marketplaceParticipations')).status,
    ).toBe(200);

    await control(`/sellers/${s.sellerId}/faults`, { refreshToken: 'EXPIRED' });
    const expired = await refresh();
    expect(expired.status).toBe(400);
    expect(await expired.json()).toMatchObject({ error: 'invalid_grant' });

    await control(`/sellers/${s.sellerId}/faults`, { refreshToken: 'OK' });
    expect((await refresh()).status).toBe(200);
    await control(`/sellers/${s.sellerId}/tokens/revoke`, {});
    expect(await (await refresh()).json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('rejects SP-API calls without a token, with a foreign token, or with an expired one', async () => {
    const s = await connect();
    const none = await call('/sellers/v1/marketplaceParticipations');
    expect(none.status).toBe(403);
    expect(await none.json()).toMatchObject({ errors: [{ code: 'Unauthorized' }] });
    expect(
      (await sp({ ...s, accessToken: 'Atza|forged' }, '/sellers/v1/marketplaceParticipations')).status,
    ).toBe(403);
    await control(`/sellers/${s.sellerId}/tokens/expire`, {});
    const expired = await sp(s, '/sellers/v1/marketplaceParticipations');
    expect(expired.status).toBe(403);
    expect(JSON.stringify(await expired.json())).toContain('expired');
  });

  it('does not let one seller read another seller through a token', async () => {
    const a = await connect();
    const b = await connect();
    const day = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const aOrders = (await (await control(`/sellers/${a.sellerId}/orders?date=${day}`)).json()) as {
      orders: { orderId: string }[];
    };
    const res = await sp(b, `/orders/2026-01-01/orders/${aOrders.orders[0]!.orderId}`);
    expect(res.status).toBe(404);
  });
});
