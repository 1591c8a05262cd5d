import type { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import type { AppContext } from '../../context';
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

/** `GET /api/openapi.json` and the interactive reference page `GET /api/docs` built from it. */
export function docsRoutes(app: OpenAPIHono<AppContext>) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  const router = createRouter();
  router.get('/openapi.json', (c) => c.json(openApiDocument(app, c.env.APP_VERSION)));
  // The page is HTML rendered here; the browser loads Scalar's viewer script from the jsDelivr CDN
  // (the package ships no bundle of it), so the page needs network access while the API does not.
  // The major version is pinned so a breaking release of the viewer cannot change the page.
  router.get(
    '/docs',
    Scalar({
      url: '/api/openapi.json',
      pageTitle: 'SellerPulse API',
      cdn: 'https://cdn.jsdelivr.net/npm/@scalar/api-reference@1',
    }),
  );
  return router;
}
