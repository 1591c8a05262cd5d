import type { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import { createMiddleware } from 'hono/factory';
import type { AppContext } from '../../context';
import { toBase64 } from '../../lib/encoding';
import { ipRateLimit } from '../../middleware/client-rate-limit';
import { createRouter } from '../router';

/**
 * The OpenAPI document generated from the route schemas: served at `/api/openapi.json`, and the
 * source of the client types in `clients/api-types.ts` (`npm run api:types`).
 */
export function openApiDocument(app: OpenAPIHono<AppContext>, version: string) {
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'SellerPulse API', version },
  });
}

/** Public pages may be cached a few minutes: they change only with a deploy. */
const PUBLIC_CACHE = 'public, max-age=300';

const SCALAR_CDN = 'https://cdn.jsdelivr.net';

/**
 * The docs page's Content-Security-Policy. Scalar's viewer script comes from jsDelivr and is
 * started by one inline script, allowed by its hash (not by 'unsafe-inline'); the viewer injects
 * inline styles, loads its fonts from fonts.scalar.com, and compiles schema examples with
 * `new Function` ('unsafe-eval'). It fetches only `/api/openapi.json` and the API itself ('self').
 * Nothing may frame the page.
 */
async function docsPolicy(html: string): Promise<string> {
  const inline = /<script type="text\/javascript">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(inline));
  return [
    "default-src 'none'",
    `script-src ${SCALAR_CDN} 'sha256-${toBase64(new Uint8Array(digest))}' 'unsafe-eval'`,
    `style-src ${SCALAR_CDN} 'unsafe-inline'`,
    `font-src ${SCALAR_CDN} https://fonts.scalar.com data:`,
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    'worker-src blob:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Sets the docs page's own CSP (the app-wide one would block the viewer) and its caching. */
const docsHeaders = createMiddleware<AppContext>(async (c, next) => {
  await next();
  c.res.headers.set('Content-Security-Policy', await docsPolicy(await c.res.clone().text()));
  c.res.headers.set('Cache-Control', PUBLIC_CACHE);
});

/** `GET /api/openapi.json` and the interactive reference page `GET /api/docs` built from it. */
export function docsRoutes(app: OpenAPIHono<AppContext>) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  // Built once per isolate and version: the routes do not change while it runs.
  let built: { version: string; document: ReturnType<typeof openApiDocument> } | undefined;
  const router = createRouter();
  router.get('/openapi.json', ipRateLimit, (c) => {
    if (built?.version !== c.env.APP_VERSION) {
      built = { version: c.env.APP_VERSION, document: openApiDocument(app, c.env.APP_VERSION) };
    }
    c.header('Cache-Control', PUBLIC_CACHE);
    return c.json(built.document);
  });
  // The page is HTML rendered here; the browser loads Scalar's viewer script from the jsDelivr CDN
  // (the package ships no bundle of it), so the page needs network access while the API does not.
  // The major version is pinned so a breaking release of the viewer cannot change the page.
  router.get(
    '/docs',
    ipRateLimit,
    docsHeaders,
    Scalar({
      url: '/api/openapi.json',
      pageTitle: 'SellerPulse API',
      cdn: `${SCALAR_CDN}/npm/@scalar/api-reference@1`,
    }),
  );
  return router;
}
