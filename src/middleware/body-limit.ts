import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { AppContext } from '../context';
import { AppError } from '../lib/errors';

/** Every request body unless a route below needs more: every JSON input of the API fits easily. */
export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * The product edits carry up to 50 custom fields of 500 characters plus notes and tags: about
 * 87 KB at three bytes per character (e.g. CJK text), the bulk update 1.3 KB more for 100 ASINs.
 * tests/api/http-defaults.test.ts sends that largest valid body and checks it passes.
 */
export const PRODUCT_BODY_LIMIT_BYTES = 128 * 1024;

function limitOf(maxBytes: number) {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError('PAYLOAD_TOO_LARGE', `Request body is larger than ${maxBytes} bytes`, {
        maxBytes,
      });
    },
  });
}

const defaultLimit = limitOf(DEFAULT_BODY_LIMIT_BYTES);
const productLimit = limitOf(PRODUCT_BODY_LIMIT_BYTES);

/** Routes allowed a larger body than the default, by method and path. */
const LARGER_LIMITS = [
  { method: 'PUT', path: /^\/api\/products\/[^/]+$/, limit: productLimit },
  { method: 'POST', path: /^\/api\/products\/bulk-update$/, limit: productLimit },
];

/**
 * Refuses a body over the route's limit with 413 PAYLOAD_TOO_LARGE before anything reads it: by
 * Content-Length when given, else while streaming (the rest is never read).
 */
export const bodyLimits = createMiddleware<AppContext>(async (c, next) => {
  const path = new URL(c.req.url).pathname;
  // The Amazon webhook limits its body itself, after its API key: a caller without the key never
  // gets the body read at all (src/routes/webhooks).
  if (c.req.method === 'POST' && path === '/api/webhooks/amazon') return next();
  const larger = LARGER_LIMITS.find((l) => l.method === c.req.method && l.path.test(path));
  return (larger?.limit ?? defaultLimit)(c, next);
});
