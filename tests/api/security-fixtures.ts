import type { Database } from '../../src/db/client';
import { orders, products } from '../../src/db/schema';
import type { TestTenant } from './harness';

/**
 * Fixtures for the shared security suite (tests/api/security.test.ts).
 *
 * Every secured operation with a path parameter MUST have an entry here, keyed by
 * `METHOD /api/path/{param}` exactly as in /api/openapi.json (method upper-case, OpenAPI braces).
 * The fixture seeds one entity owned by `tenant` (the suite's tenant A) and returns the path
 * parameters that name it. The suite then asks for it as tenant B's owner and expects 404 with
 * none of `secrets` in the body; for GET it also checks tenant A's owner gets it (2xx), which
 * proves the fixture is real. Give `body`/`query` when validation would otherwise answer first.
 *
 * Example for a products route:
 *
 *   'GET /api/products/{asin}': async ({ tenant, db }) => {
 *     const asin = 'B0SECRET01';
 *     await db.insert(products).values({ tenantId: tenant.id, asin, marketplaceId: 'ATVPDKIKX0DER', title: 'Secret Widget', ... });
 *     return { params: { asin }, query: { marketplaceId: 'ATVPDKIKX0DER' }, secrets: ['Secret Widget'] };
 *   },
 */
export interface FixtureContext {
  /** Tenant A: the fixture's entity must belong to it. */
  tenant: TestTenant;
  db: Database;
}

export interface FixtureRequest {
  /** Path parameter values naming an entity that belongs to `tenant`. */
  params: Record<string, string>;
  /** A valid request body, so validation passes and tenant scoping is what answers. */
  body?: unknown;
  /** Query string values the route requires. */
  query?: Record<string, string>;
  /** Data of the entity that must never appear in another tenant's response. */
  secrets?: string[];
}

export type Fixture = (ctx: FixtureContext) => Promise<FixtureRequest>;

const digits = (n: number) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b % 10).join('');
const randomAsin = () => `B0${digits(8)}`;

async function seedProduct({ tenant, db }: FixtureContext): Promise<FixtureRequest> {
  const asin = randomAsin();
  const title = `Secret Widget ${digits(6)}`;
  await db.insert(products).values({
    tenantId: tenant.id,
    asin,
    marketplaceId: 'ATVPDKIKX0DER',
    sku: `SKU-${digits(6)}`,
    title,
    price: '19.99',
    currency: 'USD',
  });
  return { params: { asin }, query: { marketplaceId: 'ATVPDKIKX0DER' }, secrets: [title] };
}

export const SECURITY_FIXTURES: Record<string, Fixture> = {
  'GET /api/products/{asin}': seedProduct,
  'PUT /api/products/{asin}': async (ctx) => ({ ...(await seedProduct(ctx)), body: { minStockAlert: 5 } }),
  'GET /api/orders/{amazonOrderId}': async ({ tenant, db }) => {
    const amazonOrderId = `111-${digits(7)}-${digits(7)}`;
    const trackingNumber = `TRACK${digits(10)}`;
    await db.insert(orders).values({
      tenantId: tenant.id,
      amazonOrderId,
      marketplaceId: 'ATVPDKIKX0DER',
      purchaseDate: new Date(Date.now() - 86_400_000),
      lastUpdateDate: new Date(),
      orderStatus: 'Shipped',
      orderTotal: '987.65',
      currency: 'USD',
      trackingNumber,
    });
    return { params: { amazonOrderId }, secrets: [trackingNumber, '987.65'] };
  },
  'PATCH /api/users/{id}': async ({ tenant }) => {
    const member = await tenant.addUser('viewer');
    return { params: { id: member.id }, body: { role: 'analyst' }, secrets: [member.email] };
  },
};

/**
 * Routes that are public on purpose (`METHOD /api/path`). Everything else the app registers must
 * be in the OpenAPI document with `security`, i.e. be declared with `protectedRoute`.
 */
export const PUBLIC_ROUTES = new Set([
  'GET /api/health',
  'GET /api/openapi.json',
  'GET /api/docs',
  'POST /api/auth/register',
  'POST /api/auth/login',
  'POST /api/auth/refresh',
  'POST /api/auth/accept-invite',
  'POST /api/webhooks/amazon',
]);
