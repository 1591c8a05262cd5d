import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppContext } from './context';
import { AppError, describeError, type ErrorCode, errorEnvelope } from './lib/errors';
import { methodNotAllowed } from './lib/method-not-allowed';
import { bodyLimits } from './middleware/body-limit';
import { strictCors } from './middleware/cors';
import { requestContext } from './middleware/request-context';
import { securityHeaders } from './middleware/secure-headers';
import { mountResourceRoutes } from './routes';
import { docsRoutes } from './routes/docs';
import { healthRoutes } from './routes/health';
import { createRouter } from './routes/router';

const HTTP_STATUS_CODES: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

function requestIdOf(c: Context<AppContext>): string {
  return c.get('requestId') ?? crypto.randomUUID();
}

export function createApp() {
  const app = createRouter();

  app.use('*', ...securityHeaders);
  app.use('*', requestContext);
  app.use('/api/*', strictCors);
  app.use('/api/*', bodyLimits);

  app.route('/api/health', healthRoutes);
  mountResourceRoutes(app);
  app.route('/api', docsRoutes(app));

  app.notFound((c) => {
    const requestId = requestIdOf(c);
    const allow = methodNotAllowed(app.routes, c.req.method, new URL(c.req.url).pathname);
    if (allow.length > 0) {
      c.header('Allow', allow.join(', '));
      return c.json(
        errorEnvelope('METHOD_NOT_ALLOWED', `Method ${c.req.method} is not allowed here`, requestId),
        405,
      );
    }
    return c.json(errorEnvelope('NOT_FOUND', 'Route not found', requestId), 404);
  });

  app.onError((err, c) => {
    const requestId = requestIdOf(c);
    if (err instanceof AppError) {
      for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value);
      return c.json(errorEnvelope(err.code, err.message, requestId, err.details), err.status);
    }
    if (err instanceof HTTPException) {
      const status = err.status;
      const code = HTTP_STATUS_CODES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
      return c.json(errorEnvelope(code, err.message || 'Request failed', requestId), status);
    }
    c.get('logger')?.error('unhandled error', {
      error: { name: err.name, message: describeError(err) },
      path: new URL(c.req.url).pathname,
    });
    return c.json(errorEnvelope('INTERNAL_ERROR', 'Internal server error', requestId), 500);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
