// Callers import this file, not ./object.ts: naming an object needs no class, and the class pulls in
// `cloudflare:workers`, which Node tools that load the app (scripts/api-types.mjs) cannot resolve.
import type { AmazonCredential } from '../../src/db/schema/index';

/** The Amazon account whose quota a call spends: the credential's type, seller and tenant. */
export type QuotaAccount = Pick<AmazonCredential, 'type' | 'sellingPartnerId' | 'tenantId'>;

/**
 * One SellerQuota object per Amazon account: SP-API quotas are per selling partner and
 * application, so every consumer, request and tenant connected to that seller shares the same
 * buckets. Ads limits are per advertiser, so Ads gets one object per tenant.
 */
export function sellerQuota(env: Pick<Env, 'SELLER_QUOTA'>, account: QuotaAccount) {
  const name =
    account.type === 'ADS'
      ? `ads:${account.tenantId}`
      : account.sellingPartnerId
        ? `seller:${account.sellingPartnerId}`
        : `tenant:${account.tenantId}`;
  return env.SELLER_QUOTA.get(env.SELLER_QUOTA.idFromName(name));
}
