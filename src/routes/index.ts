import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppContext } from '../context';
import { adsRoutes } from './ads';
import { amazonConnectRoutes } from './amazon-connect';
import { authRoutes } from './auth';
import { financeRoutes } from './finance';
import { metricsRoutes } from './metrics';
import { orderRoutes } from './orders';
import { productRoutes } from './products';
import { syncRoutes } from './sync';
import { tenantRoutes } from './tenant';
import { usersRoutes } from './users';
import { webhookRoutes } from './webhooks';

/**
 * One sub-app per resource, each mounted at `/api/<resource>`. Add new resources here.
 */
export function mountResourceRoutes(app: OpenAPIHono<AppContext>): void {
  app.route('/api/auth', authRoutes);
  app.route('/api/auth', amazonConnectRoutes);
  app.route('/api/users', usersRoutes);
  app.route('/api/tenant', tenantRoutes);
  app.route('/api/metrics', metricsRoutes);
  app.route('/api/products', productRoutes);
  app.route('/api/orders', orderRoutes);
  app.route('/api/finance', financeRoutes);
  app.route('/api/ads', adsRoutes);
  app.route('/api/sync', syncRoutes);
  app.route('/api/webhooks', webhookRoutes);
}
