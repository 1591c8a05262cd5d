import { createMiddleware } from 'hono/factory';
import type { AppContext } from '../context';
import { createDb, REQUEST_STATEMENT_TIMEOUT_MS } from '../db/client';
import { createLogger } from '../lib/logger';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * Per-request services on `c.var`: request id, logger and a database client that is closed
 * after the response with waitUntil (never a module-level client on Workers).
 */
export const requestContext = createMiddleware<AppContext>(async (c, next) => {
  const incoming = c.req.header('x-request-id');
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  const logger = createLogger(c.env.LOG_LEVEL, { requestId });
  const handle = createDb(c.env, { statementTimeoutMs: REQUEST_STATEMENT_TIMEOUT_MS });
  c.set('requestId', requestId);
  c.set('logger', logger);
  c.set('db', handle.db);
  c.header('x-request-id', requestId);

  const started = Date.now();
  try {
    await next();
  } finally {
    c.executionCtx.waitUntil(handle.close().catch(() => {}));
    // Path only (no query string: it may carry search terms); ids and status, never PII.
    logger.info('request', {
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      status: c.res.status,
      durationMs: Date.now() - started,
      tenantId: c.get('ctx')?.tenant.id,
      userId: c.get('ctx')?.actor.userId,
    });
  }
});
