import type { MiddlewareHandler } from 'hono';
import { type AdsProfile, profilesFor } from '../data/ads';
import type { Seller } from '../data/seller';
import type { AppBindings } from '../env';
import { sellerFromConfig } from '../lib/load-seller';
import { ADS_LIMIT } from '../lib/operations';
import { rateLimitMode } from '../lib/rate-limit-mode';
import { sellerStub } from '../lib/seller-stub';
import { APP_OWNER, tokenOwner } from '../lib/tokens';

export type AdsEnv = AppBindings & { Variables: { seller: Seller; profile: AdsProfile | undefined } };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const adsError = (
  status: 400 | 401 | 403 | 415 | 429 | 500 | 503,
  code: string,
  details: string,
  extra: Record<string, string> = {},
) =>
  new Response(JSON.stringify({ code, details }), {
    status,
    headers: { 'content-type': 'application/json', ...extra },
  });

/**
 * Ads API front door: Bearer LWA token, Amazon-Advertising-API-ClientId, and (except for
 * profiles) Amazon-Advertising-API-Scope naming one of the seller's profiles.
 */
export function adsGate(options: { needsScope: boolean; op: string }): MiddlewareHandler<AdsEnv> {
  return async (c, next) => {
    c.header('x-amz-request-id', crypto.randomUUID());
    const auth = c.req.header('authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1];
    const owner = tokenOwner(token);
    if (!token || !owner || owner === APP_OWNER)
      return adsError(401, 'UNAUTHORIZED', 'Not authorized to access this advertiser');
    const clientId = c.req.header('amazon-advertising-api-clientid');
    if (!clientId) return adsError(400, 'INVALID_ARGUMENT', 'Missing header Amazon-Advertising-API-ClientId');
    if (clientId !== c.env.LWA_CLIENT_ID)
      return adsError(401, 'UNAUTHORIZED', 'Invalid Amazon-Advertising-API-ClientId');
    const scope = c.req.header('amazon-advertising-api-scope');
    if (options.needsScope && !scope)
      return adsError(400, 'INVALID_ARGUMENT', 'Missing header Amazon-Advertising-API-Scope');
    const result = await sellerStub(c.env, owner).gate({
      token,
      op: `ads.${options.op}`,
      rate: ADS_LIMIT.rate,
      burst: ADS_LIMIT.burst,
      nowMs: Date.now(),
      defaultMode: rateLimitMode(c.env.RATE_LIMIT_MODE),
    });
    if (result.kind === 'unauthorized') return adsError(401, 'UNAUTHORIZED', result.message);
    if (result.kind === 'throttled') return adsError(429, '429', 'Too Many Requests', { 'Retry-After': '2' });
    if (result.kind === 'error')
      return adsError(
        result.status,
        result.status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_ERROR',
        'Internal error',
      );
    if (result.slowMs > 0) await sleep(Math.min(result.slowMs, 30_000));
    const seller = sellerFromConfig(owner, result.config);
    const profile = scope ? profilesFor(seller).find((p) => String(p.profileId) === scope) : undefined;
    if (options.needsScope && !profile)
      return adsError(403, 'UNAUTHORIZED', `Not authorized to access scope ${scope}`);
    c.set('sellerId', owner);
    c.set('seller', seller);
    c.set('profile', profile);
    await next();
  };
}

/** SP v3 endpoints insist on their versioned media type. */
export function requireMediaType(type: string): MiddlewareHandler<AdsEnv> {
  return async (c, next) => {
    const contentType = c.req.header('content-type') ?? '';
    if (c.req.method !== 'GET' && !contentType.includes(type)) {
      return adsError(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type must be ${type}`);
    }
    await next();
    c.res.headers.set('content-type', type);
  };
}
