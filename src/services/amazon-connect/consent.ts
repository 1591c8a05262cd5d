import { keyedHash } from '../../lib/crypto';
import type { TenantContext } from '../context';

/**
 * Seller Central's website authorization URL. `state` binds the redirect to this tenant so the
 * frontend can reject a redirect it did not start.
 */
export async function consentUrl(
  ctx: Pick<TenantContext, 'env' | 'tenant'>,
  input: { redirectUri: string },
): Promise<{ url: string; state: string }> {
  const { env } = ctx;
  const nonce = crypto.randomUUID();
  const mac = await keyedHash(nonce, env.TOKEN_ENCRYPTION_KEYS, `consent:${ctx.tenant.id}`);
  const state = `${nonce}.${mac.slice(0, 32)}`;
  const url = new URL('/apps/authorize/consent', env.SELLER_CENTRAL_URL);
  url.searchParams.set('application_id', env.AMAZON_APPLICATION_ID);
  url.searchParams.set('state', state);
  url.searchParams.set('redirect_uri', input.redirectUri);
  if (env.APP_ENV !== 'production') url.searchParams.set('version', 'beta');
  return { url: url.toString(), state };
}
