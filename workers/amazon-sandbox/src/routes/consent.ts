import { Hono } from 'hono';
import { html } from 'hono/html';
import { isValidSellerId, SIZE_PRESETS } from '../data/seller';
import type { AppBindings } from '../env';
import { sellerStub } from '../lib/seller-stub';

/**
 * Seller Central's website authorization step. With `selling_partner_id` (or the form's choice)
 * it redirects at once; without it, it shows a one-field form to pick a sandbox seller.
 */
export const consent = new Hono<AppBindings>();

consent.get('/apps/authorize/consent', async (c) => {
  const applicationId = c.req.query('application_id');
  const state = c.req.query('state') ?? '';
  const redirectUri = c.req.query('redirect_uri');
  const chosen = c.req.query('selling_partner_id') ?? c.req.query('seller_id');
  if (!applicationId) return c.text('Missing application_id', 400);
  if (!redirectUri || !/^https?:\/\//.test(redirectUri))
    return c.text('Missing or invalid redirect_uri', 400);
  if (!chosen) {
    const presets = Object.keys(SIZE_PRESETS).join(', ');
    return c.html(html`<!doctype html><html><head><title>Sandbox Seller Central - Authorize</title></head><body>
<h1>Authorize ${applicationId}</h1>
<p>Pick the sandbox seller to connect. Seller ids starting with ASBX&lt;PRESET&gt; (${presets}) get that data size.</p>
<form method="get" action="/apps/authorize/consent">
<input type="hidden" name="application_id" value="${applicationId}">
<input type="hidden" name="state" value="${state}">
<input type="hidden" name="redirect_uri" value="${redirectUri}">
<input type="hidden" name="version" value="${c.req.query('version') ?? ''}">
<label>Seller id <input name="selling_partner_id" value="${c.env.DEFAULT_SELLER_ID}"></label>
<button type="submit">Confirm</button>
</form></body></html>`);
  }
  if (!isValidSellerId(chosen)) return c.text('Invalid selling_partner_id', 400);
  const code = await sellerStub(c.env, chosen).issueAuthCode(chosen, redirectUri);
  const target = new URL(redirectUri);
  target.searchParams.set('spapi_oauth_code', code);
  target.searchParams.set('state', state);
  target.searchParams.set('selling_partner_id', chosen);
  return c.redirect(target.toString(), 302);
});

/**
 * Login with Amazon's authorization page, as the Ads API uses it (`/ap/oa`, response_type=code).
 * `seller_id` picks the sandbox seller whose advertising account is granted (default: the demo seller).
 */
consent.get('/ap/oa', async (c) => {
  const redirectUri = c.req.query('redirect_uri');
  if (c.req.query('response_type') !== 'code') return c.text('response_type must be code', 400);
  if (c.req.query('client_id') !== c.env.LWA_CLIENT_ID) return c.text('Unknown client_id', 400);
  if (!redirectUri || !/^https?:\/\//.test(redirectUri))
    return c.text('Missing or invalid redirect_uri', 400);
  const sellerId = c.req.query('seller_id') ?? c.env.DEFAULT_SELLER_ID;
  if (!isValidSellerId(sellerId)) return c.text('Invalid seller_id', 400);
  const code = await sellerStub(c.env, sellerId).issueAuthCode(sellerId, redirectUri);
  const target = new URL(redirectUri);
  target.searchParams.set('code', code);
  target.searchParams.set('scope', c.req.query('scope') ?? 'advertising::campaign_management');
  if (c.req.query('state') !== undefined) target.searchParams.set('state', c.req.query('state')!);
  return c.redirect(target.toString(), 302);
});
