import { createMiddleware } from 'hono/factory';
import { secureHeaders } from 'hono/secure-headers';
import type { AppContext } from '../context';

/**
 * Security headers on every response (Hono's `secureHeaders`): nosniff, HSTS for a year, no
 * framing, no referrer, and a CSP that lets a JSON answer load nothing. A route that serves HTML
 * sets its own Content-Security-Policy (the docs page does), which is kept: `overwrite: false`.
 */
const headers = secureHeaders({
  strictTransportSecurity: 'max-age=31536000; includeSubDomains',
  xFrameOptions: 'DENY',
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
  },
  overwrite: false,
});

/**
 * Responses carry tokens (auth routes) and tenant data (every authenticated route), which no
 * browser or proxy cache should keep: `Cache-Control: no-store` unless the route chose otherwise.
 */
const noStoreByDefault = createMiddleware<AppContext>(async (c, next) => {
  await next();
  if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
});

export const securityHeaders = [headers, noStoreByDefault] as const;
