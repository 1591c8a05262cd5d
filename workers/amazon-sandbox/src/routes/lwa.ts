import { Hono } from 'hono';
import type { AppBindings } from '../env';
import { lwaError } from '../lib/errors';
import { sellerStub } from '../lib/seller-stub';
import { APP_OWNER, tokenOwner } from '../lib/tokens';

/** Login with Amazon token endpoint: POST /auth/o2/token, form-encoded. */
export const lwa = new Hono<AppBindings>();

lwa.post('/auth/o2/token', async (c) => {
  const type = c.req.header('content-type') ?? '';
  if (!type.includes('application/x-www-form-urlencoded')) {
    return lwaError(c, 400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams(new TextDecoder().decode(await c.req.arrayBuffer()));
  const grantType = form.get('grant_type');
  const clientId = form.get('client_id');
  const clientSecret = form.get('client_secret');
  if (!grantType)
    return lwaError(c, 400, 'invalid_request', 'The request is missing a required parameter : grant_type');
  if (clientId !== c.env.LWA_CLIENT_ID || clientSecret !== c.env.LWA_CLIENT_SECRET) {
    return lwaError(c, 401, 'invalid_client', 'Client authentication failed');
  }
  c.header('Cache-Control', 'no-store');
  if (grantType === 'authorization_code') {
    const code = form.get('code');
    const owner = tokenOwner(code);
    if (!code || !owner)
      return lwaError(c, 400, 'invalid_grant', 'The request has an invalid grant parameter : code');
    const pair = await sellerStub(c.env, owner).redeemAuthCode(
      owner,
      code,
      form.get('redirect_uri') ?? undefined,
    );
    if (!pair) return lwaError(c, 400, 'invalid_grant', 'The request has an invalid grant parameter : code');
    return c.json(pair);
  }
  if (grantType === 'refresh_token') {
    const refreshToken = form.get('refresh_token');
    const owner = tokenOwner(refreshToken);
    if (!refreshToken || !owner || !refreshToken.startsWith('Atzr|') || owner === APP_OWNER) {
      return lwaError(c, 400, 'invalid_grant', 'The request has an invalid grant parameter : refresh_token');
    }
    const result = await sellerStub(c.env, owner).refresh(owner, refreshToken);
    if ('error' in result) return lwaError(c, 400, 'invalid_grant', result.error);
    return c.json(result);
  }
  if (grantType === 'client_credentials') {
    const scope = form.get('scope');
    if (!scope) return lwaError(c, 400, 'invalid_scope', 'The request has an invalid parameter : scope');
    return c.json(await sellerStub(c.env, APP_OWNER).grantless(scope));
  }
  return lwaError(
    c,
    400,
    'unsupported_grant_type',
    `The authorization grant type is not supported : ${grantType}`,
  );
});
