import { Hono } from 'hono';
import type { AppBindings } from './env';
import { spError } from './lib/errors';
import { ads, adsDownloads } from './routes/ads';
import { catalog } from './routes/catalog';
import { consent } from './routes/consent';
import { control } from './routes/control';
import { documents } from './routes/documents';
import { finances } from './routes/finances';
import { inventory } from './routes/inventory';
import { listings } from './routes/listings';
import { lwa } from './routes/lwa';
import { notifications } from './routes/notifications';
import { orders2026 } from './routes/orders-2026';
import { ordersV0 } from './routes/orders-v0';
import { pricing } from './routes/pricing';
import { reports } from './routes/reports';
import { sellers } from './routes/sellers';

// Sub-apps carry richer Variables than the root; Hono's route() only needs the shared Bindings.
type AnyApp = Hono<AppBindings>;

export function buildApp(): Hono<AppBindings> {
  const app = new Hono<AppBindings>();
  app.get('/', (c) =>
    c.json({
      service: 'amazon-sandbox',
      docs: 'workers/amazon-sandbox/README.md',
      defaultSellerId: c.env.DEFAULT_SELLER_ID,
    }),
  );
  const subApps = [
    lwa,
    consent,
    control,
    documents,
    sellers,
    ordersV0,
    orders2026,
    reports,
    inventory,
    finances,
    pricing,
    catalog,
    listings,
    notifications,
    ads,
    adsDownloads,
  ];
  for (const sub of subApps) app.route('/', sub as unknown as AnyApp);
  app.notFound((c) => spError(c, 404, 'NotFound', `Resource not found: ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    console.error('sandbox error', err);
    return spError(c, 500, 'InternalFailure', 'We encountered an internal error. Please try again.');
  });
  return app;
}
