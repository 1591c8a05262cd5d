import { Hono } from 'hono';
import type { AppBindings } from './env';
import { spError } from './lib/errors';
import { consent } from './routes/consent';
import { lwa } from './routes/lwa';
import { orders2026 } from './routes/orders-2026';
import { ordersV0 } from './routes/orders-v0';
import { sellers } from './routes/sellers';

export function buildApp(): Hono<AppBindings> {
  const app = new Hono<AppBindings>();
  app.get('/', (c) => c.json({ service: 'amazon-sandbox', docs: 'workers/amazon-sandbox/README.md' }));
  for (const sub of [lwa, consent, sellers, ordersV0, orders2026])
    app.route('/', sub as unknown as Hono<AppBindings>);
  app.notFound((c) => spError(c, 404, 'NotFound', `Resource not found: ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    console.error('sandbox error', err);
    return spError(c, 500, 'InternalFailure', 'We encountered an internal error. Please try again.');
  });
  return app;
}
