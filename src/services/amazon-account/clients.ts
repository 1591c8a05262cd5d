import { lwaTokenCache } from '../../../durable-objects/lwa-token-cache';
import { type QuotaAccount, sellerQuota } from '../../../durable-objects/seller-quota';
import { AdsApiClient } from '../../amazon/ads-api';
import { AmazonError, InvalidGrantError } from '../../amazon/errors';
import type { AccessTokenSource, QuotaGate } from '../../amazon/http';
import { ADS_OPERATION } from '../../amazon/operations';
import type { Priority } from '../../amazon/quota';
import { SpApiClient } from '../../amazon/sp-api';
import type { AmazonCredential } from '../../db/schema/index';
import type { AppEnv } from '../../env';
import { lwaApplication } from './lwa';
import { type Tuning, tuningFrom } from './tuning';

function tokenSource(env: AppEnv, credential: AmazonCredential): AccessTokenSource {
  const cache = lwaTokenCache(env, credential);
  const lwa = lwaApplication(env, credential.type);
  return {
    async get(force) {
      const result = await cache.accessToken({
        tenantId: credential.tenantId,
        secret: {
          ciphertext: credential.encryptedRefreshToken,
          iv: credential.tokenIv,
          keyVersion: credential.keyVersion,
        },
        lwaBaseUrl: lwa.baseUrl,
        clientId: lwa.clientId,
        clientSecret: lwa.clientSecret,
        ...(force ? { forceRefresh: true } : {}),
      });
      if (result.ok) return result.accessToken;
      if (result.kind === 'auth') throw new InvalidGrantError(result.message);
      throw new AmazonError(result.kind, result.message);
    },
  };
}

function gateFor(env: AppEnv, credential: QuotaAccount): QuotaGate {
  const stub = sellerQuota(env, credential);
  if (credential.type === 'ADS') {
    return {
      // Ads limits are dynamic and unpublished: a plain bucket per operation, Amazon's 429s drain it.
      acquire: async (operation) =>
        stub.acquire({ bucket: operation, rate: ADS_OPERATION.rate, burst: ADS_OPERATION.burst }),
      observe: async (o) => {
        if (o.status === 429) await stub.drain(o.operation);
      },
    };
  }
  return {
    acquire: (operation, priority) => stub.acquireOperation({ operation, priority }),
    observe: (o) => stub.observe(o),
  };
}

function sellerClient(
  env: AppEnv,
  seller: Pick<AmazonCredential, 'type' | 'sellingPartnerId' | 'tenantId'>,
  tokens: AccessTokenSource,
  priority: Priority,
  tuning?: Tuning,
): SpApiClient {
  const t = tuning ?? tuningFrom(env);
  return new SpApiClient({
    baseUrl: env.SPAPI_BASE_URL,
    tokens,
    gate: gateFor(env, seller),
    priority,
    policy: t.retry,
  });
}

export function spClient(
  env: AppEnv,
  credential: AmazonCredential,
  priority: Priority,
  tuning?: Tuning,
): SpApiClient {
  return sellerClient(env, credential, tokenSource(env, credential), priority, tuning);
}

/** The connection test runs before a credential is stored, with the access token LWA just issued. */
export function spClientWithAccessToken(
  env: AppEnv,
  seller: Pick<AmazonCredential, 'sellingPartnerId' | 'tenantId'>,
  accessToken: string,
  priority: Priority,
): SpApiClient {
  return sellerClient(env, { ...seller, type: 'SPAPI' }, { get: async () => accessToken }, priority);
}

export function adsClient(
  env: AppEnv,
  credential: AmazonCredential,
  priority: Priority,
  tuning?: Tuning,
): AdsApiClient {
  const t = tuning ?? tuningFrom(env);
  return new AdsApiClient({
    baseUrl: env.ADS_BASE_URL,
    clientId: env.ADS_CLIENT_ID,
    tokens: tokenSource(env, credential),
    gate: gateFor(env, credential),
    priority,
    policy: t.retry,
  });
}
