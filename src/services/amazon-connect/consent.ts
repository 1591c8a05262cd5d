import type { AppEnv } from '../../env';
import { keyedHash, timingSafeEqual } from '../../lib/crypto';
import { ValidationError } from '../../lib/errors';
import type { TenantContext, TenantInfo } from '../context';

/** How long a consent flow may take, from the consent URL to POST /api/auth/connect-amazon. */
export const CONSENT_STATE_TTL_MS = 60 * 60_000;
/** Isolates' clocks may differ a little: a state "from the future" within this margin is fine. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** All a state needs: the key ring and the tenant it is bound to. */
interface StateContext {
  env: Pick<AppEnv, 'TOKEN_ENCRYPTION_KEYS'>;
  tenant: Pick<TenantInfo, 'id'>;
}

async function stateMac(ctx: StateContext, issuedAt: string, nonce: string): Promise<string> {
  const mac = await keyedHash(
    `${issuedAt}.${nonce}`,
    ctx.env.TOKEN_ENCRYPTION_KEYS,
    `consent:${ctx.tenant.id}`,
  );
  return mac.slice(0, 32);
}

/**
 * `issuedAt.nonce.mac`: the issue time (ms) and a random nonce, authenticated with an HMAC keyed
 * for this tenant, so only this tenant can present it and only within the TTL.
 */
export async function consentState(ctx: StateContext, input: { issuedAt: number }): Promise<string> {
  const issuedAt = String(input.issuedAt);
  const nonce = crypto.randomUUID();
  return `${issuedAt}.${nonce}.${await stateMac(ctx, issuedAt, nonce)}`;
}

function invalidState(reason: string): ValidationError {
  return new ValidationError('The consent state is invalid or expired: start again from the consent URL', [
    { field: 'body.state', message: reason, code: 'invalid_state' },
  ]);
}

/**
 * Checks the `state` the consent redirect carried back: issued by GET consent-url for this tenant
 * (HMAC compared in constant time) within the last hour. Runs before any call to Amazon.
 */
export async function verifyConsentState(ctx: StateContext, input: { state: string }): Promise<void> {
  const match = /^(\d{13})\.([0-9a-f-]{36})\.([0-9a-f]{32})$/.exec(input.state);
  if (!match) throw invalidState('not a state issued by GET /api/auth/connect-amazon/consent-url');
  const [, issuedAt = '', nonce = '', mac = ''] = match;
  if (!timingSafeEqual(mac, await stateMac(ctx, issuedAt, nonce)))
    throw invalidState('not issued for this tenant');
  const age = Date.now() - Number(issuedAt);
  if (age > CONSENT_STATE_TTL_MS || age < -CLOCK_SKEW_MS) throw invalidState('expired');
}

/**
 * Seller Central's website authorization URL. `state` binds the flow to this tenant: connect
 * refuses a code that does not come back with it.
 */
export async function consentUrl(
  ctx: Pick<TenantContext, 'env' | 'tenant'>,
  input: { redirectUri: string },
): Promise<{ url: string; state: string }> {
  const { env } = ctx;
  const state = await consentState(ctx, { issuedAt: Date.now() });
  const url = new URL('/apps/authorize/consent', env.SELLER_CENTRAL_URL);
  url.searchParams.set('application_id', env.AMAZON_APPLICATION_ID);
  url.searchParams.set('state', state);
  url.searchParams.set('redirect_uri', input.redirectUri);
  if (env.APP_ENV !== 'production') url.searchParams.set('version', 'beta');
  return { url: url.toString(), state };
}
