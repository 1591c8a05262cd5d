import { AdsApiClient } from '../../amazon/ads-api';
import { AmazonError, InvalidGrantError } from '../../amazon/errors';
import type { AccessTokenSource, QuotaGate } from '../../amazon/http';
import { ADS_OPERATION } from '../../amazon/operations';
import type { Priority } from '../../amazon/quota';
import { SpApiClient } from '../../amazon/sp-api';
import type { AmazonCredential } from '../../db/schema/index';
import type { AppEnv } from '../../env';
import { type Tuning, type TuningVars, tuningFrom } from './tuning';

/**
 * One RateLimiter object per selling partner: Amazon's quotas are per seller and application,
 * so every consumer and request for that seller shares the same buckets.
 */
export function limiterName(
  credential: Pick<AmazonCredential, 'type' | 'sellingPartnerId' | 'tenantId'>,
): string {
  if (credential.type === 'ADS') return `ads:${credential.tenantId}`;
  return credential.sellingPartnerId
    ? `seller:${credential.sellingPartnerId}`
    : `tenant:${credential.tenantId}`;
}

export function limiterFor(
  env: AppEnv,
  credential: Pick<AmazonCredential, 'type' | 'sellingPartnerId' | 'tenantId'>,
) {
  return env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(limiterName(credential)));
}

function tokenSource(env: AppEnv, credential: AmazonCredential): AccessTokenSource {
  const stub = limiterFor(env, credential);
  const ads = credential.type === 'ADS';
  return {
    async get(force) {
      const result = await stub.accessToken({
        key: `${credential.id}:${credential.tokenIv}`,
        tenantId: credential.tenantId,
        secret: {
          ciphertext: credential.encryptedRefreshToken,
          iv: credential.tokenIv,
          keyVersion: credential.keyVersion,
        },
        lwaBaseUrl: env.LWA_BASE_URL,
        clientId: ads ? env.ADS_CLIENT_ID : env.LWA_CLIENT_ID,
        clientSecret: ads ? env.ADS_CLIENT_SECRET : env.LWA_CLIENT_SECRET,
        ...(force ? { forceRefresh: true } : {}),
      });
      if (result.ok) return result.accessToken;
      if (result.kind === 'auth') throw new InvalidGrantError(result.message);
      throw new AmazonError(result.kind, result.message);
    },
  };
}

function gateFor(env: AppEnv, credential: AmazonCredential): QuotaGate {
  const stub = limiterFor(env, credential);
  if (credential.type === 'ADS') {
    return {
      // Ads limits are dynamic and unpublished: one shared bucket, Amazon's 429s drain it.
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

export function spClient(
  env: AppEnv,
  credential: AmazonCredential,
  priority: Priority,
  tuning?: Tuning,
): SpApiClient {
  const t = tuning ?? tuningFrom(env as TuningVars);
  return new SpApiClient({
    baseUrl: env.SPAPI_BASE_URL,
    tokens: tokenSource(env, credential),
    gate: gateFor(env, credential),
    priority,
    policy: t.retry,
  });
}

export function adsClient(
  env: AppEnv,
  credential: AmazonCredential,
  priority: Priority,
  tuning?: Tuning,
): AdsApiClient {
  const t = tuning ?? tuningFrom(env as TuningVars);
  return new AdsApiClient({
    baseUrl: env.ADS_BASE_URL,
    clientId: env.ADS_CLIENT_ID,
    tokens: tokenSource(env, credential),
    gate: gateFor(env, credential),
    priority,
    policy: t.retry,
  });
}
