// Callers import this file, not ./object.ts: naming an object needs no class, and the class pulls in
// `cloudflare:workers`, which Node tools that load the app (scripts/api-types.mjs) cannot resolve.
import type { AmazonCredential } from '../../src/db/schema/index';

/** One LwaTokenCache object per stored Amazon credential (SP-API or Ads). */
export function lwaTokenCache(env: Pick<Env, 'LWA_TOKEN_CACHE'>, credential: Pick<AmazonCredential, 'id'>) {
  return env.LWA_TOKEN_CACHE.get(env.LWA_TOKEN_CACHE.idFromName(`credential:${credential.id}`));
}
