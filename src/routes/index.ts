import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppContext } from '../context';

/**
 * One sub-app per resource, each mounted at `/api/<resource>`. Add new resources here.
 */
export function mountResourceRoutes(app: OpenAPIHono<AppContext>): void {
  void app;
}
