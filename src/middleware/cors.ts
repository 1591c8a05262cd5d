import type { Context, Next } from 'hono';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import type { AppContext } from '../context';
import { type AppEnv, corsOrigins } from '../env';

/** Which browser origins may call the API, from `CORS_ORIGINS`. */
export interface CorsPolicy {
  /** Origins named in the config: answered with their own origin and credentials allowed. */
  listed: string[];
  /** `*` was configured (and honoured): any other origin is answered `*`, never with credentials. */
  anyOrigin: boolean;
  /** `*` was configured in production, where it is ignored. */
  wildcardRefused: boolean;
}

/**
 * `*` in `CORS_ORIGINS` lets any web page call the API. Outside production it is answered with
 * `Access-Control-Allow-Origin: *` and without `Access-Control-Allow-Credentials` (browsers refuse
 * that pair anyway, and reflecting the caller's origin with credentials would hand any page the
 * user's cookies should the API ever use them). In production `*` is refused: only listed origins
 * are allowed, and the configuration mistake is logged.
 */
export function corsPolicy(env: Pick<AppEnv, 'CORS_ORIGINS' | 'APP_ENV'>): CorsPolicy {
  const configured = corsOrigins(env);
  const wildcard = configured.includes('*');
  const production = env.APP_ENV === 'production';
  return {
    listed: configured.filter((o) => o !== '*'),
    anyOrigin: wildcard && !production,
    wildcardRefused: wildcard && production,
  };
}

const shared = {
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  allowHeaders: ['Content-Type', 'Authorization', 'X-Request-Id'],
  exposeHeaders: ['X-Request-Id', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After'],
  maxAge: 600,
};

const listedOrigin = cors({ ...shared, origin: (origin) => origin, credentials: true });
const anyOrigin = cors({ ...shared, origin: '*' });
// Answers preflight without any Allow-Origin, so the browser blocks the call.
const noOrigin = cors({ ...shared, origin: () => null });

const warned = new WeakSet<object>();

function warnWildcardInProduction(c: Context<AppContext>): void {
  if (warned.has(c.env)) return;
  warned.add(c.env);
  c.var.logger.error('CORS_ORIGINS contains "*", which production ignores', { appEnv: c.env.APP_ENV });
}

/** CORS for `/api/*` by `corsPolicy`. */
export const strictCors = createMiddleware<AppContext>(async (c, next: Next) => {
  const origin = c.req.header('origin');
  const policy = corsPolicy(c.env);
  if (policy.wildcardRefused) warnWildcardInProduction(c);
  if (origin && policy.listed.includes(origin)) return listedOrigin(c, next);
  return policy.anyOrigin ? anyOrigin(c, next) : noOrigin(c, next);
});
