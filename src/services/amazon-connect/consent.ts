import type { AppEnv } from '../../env';
import { keyedHash } from '../../lib/crypto';

/**
 * Seller Central's website authorization URL. `state` binds the redirect to this tenant so the
 * frontend can reject a redirect it did not start.
 */
export async function consentUrl(
  env: AppEnv,
  tenantId: string,
  redirectUri: string,
): Promise<{ url: string; state: string }> {
  const nonce = crypto.randomUUID();
  const state = `${nonce}.${(await keyedHash(nonce, env.TOKEN_ENCRYPTION_KEYS, `consent:${tenantId}`)).slice(0, 32)}`;
  const url = new URL('/apps/authorize/consent', env.SELLER_CENTRAL_URL);
  url.searchParams.set('application_id', env.AMAZON_APPLICATION_ID);
  url.searchParams.set('state', state);
  url.searchParams.set('redirect_uri', redirectUri);
  if (env.APP_ENV !== 'production') url.searchParams.set('version', 'beta');
  return { url: url.toString(), state };
}
