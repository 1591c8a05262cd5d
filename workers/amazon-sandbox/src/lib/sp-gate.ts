import type { Context, MiddlewareHandler } from 'hono';
import type { Seller } from '../data/seller';
import type { AppBindings } from '../env';
import type { SellerConfig } from '../state/types';
import { spError } from './errors';
import { sellerFromConfig } from './load-seller';
import { SP_OPERATIONS, type SpOperation } from './operations';
import { rateLimitMode } from './rate-limit-mode';
import { sellerStub } from './seller-stub';
import { APP_OWNER, tokenOwner } from './tokens';

type SpContext = Context<AppBindings & { Variables: { seller: Seller; config: SellerConfig } }>;
export type SpEnv = AppBindings & { Variables: { seller: Seller; config: SellerConfig } };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SP-API front door for one operation: LWA access token in x-amz-access-token, the seller's
 * faults, the operation's token bucket, and x-amzn-RateLimit-Limit on the answer.
 */
export function spGate(
  operation: SpOperation,
  options: { grantless?: boolean } = {},
): MiddlewareHandler<SpEnv> {
  const limit = SP_OPERATIONS[operation];
  return async (c, next) => {
    c.header('x-amzn-RequestId', crypto.randomUUID());
    const token = c.req.header('x-amz-access-token');
    const owner = tokenOwner(token);
    if (!token || !owner || (owner === APP_OWNER && !options.grantless)) {
      return spError(
        c,
        403,
        'Unauthorized',
        'Access to requested resource is denied.',
        'The access token you provided is revoked, malformed or invalid.',
      );
    }
    const result = await sellerStub(c.env, owner).gate({
      token,
      op: operation,
      rate: limit.rate,
      burst: limit.burst,
      nowMs: Date.now(),
      allowGrantless: options.grantless ?? false,
      defaultMode: rateLimitMode(c.env.RATE_LIMIT_MODE),
    });
    if (result.kind === 'unauthorized')
      return spError(c, 403, 'Unauthorized', 'Access to requested resource is denied.', result.message);
    if (result.kind === 'throttled')
      return spError(c, 429, 'QuotaExceeded', 'You exceeded your quota for the requested resource.');
    if (result.kind === 'error') {
      return result.status === 503
        ? spError(c, 503, 'ServiceUnavailable', 'Service temporarily unavailable.')
        : spError(c, 500, 'InternalFailure', 'We encountered an internal error. Please try again.');
    }
    if (result.slowMs > 0) await sleep(Math.min(result.slowMs, 30_000));
    c.set('sellerId', owner);
    c.set('config', result.config);
    c.set('seller', sellerFromConfig(owner, result.config));
    await next();
    // Amazon sends the header on success and client errors, not on throttling or server errors.
    if (c.res.status < 429) c.res.headers.set('x-amzn-RateLimit-Limit', String(result.appliedRate));
  };
}

export type { SpContext };
