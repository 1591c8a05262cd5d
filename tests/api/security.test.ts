import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { tenants, users } from '../../src/db/schema';
import { type Permission, ROLE_PERMISSIONS, ROLES, type Role } from '../../src/db/schema/roles';
import { createRouter } from '../../src/routes/router';
import { api, createTenant, type TestTenant, type TestUser, testDb, tokenFor } from './harness';
import { type FixtureRequest, PUBLIC_ROUTES, SECURITY_FIXTURES } from './security-fixtures';

/**
 * The shared security suite. It reads every operation from the OpenAPI document and every route
 * from the Hono app, so routes added later are covered without touching this file (a secured
 * route with a path parameter only needs an entry in security-fixtures.ts).
 */

interface Operation {
  method: string;
  path: string;
  key: string;
  secured: boolean;
  permissions: Permission[];
  pathParams: string[];
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { security?: unknown[]; 'x-permissions'?: Permission[] }>>;
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);
const DOC_CONFIG = { openapi: '3.1.0', info: { title: 'security suite', version: 'test' } } as const;

function operationsOf(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      ops.push({
        method: method.toUpperCase(),
        path,
        key: `${method.toUpperCase()} ${path}`,
        secured: Array.isArray(op.security) && op.security.length > 0,
        permissions: op['x-permissions'] ?? [],
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
      });
    }
  }
  return ops.sort((a, b) => a.key.localeCompare(b.key));
}

/** Hono route `/api/users/:id` (optionally `:id{regex}`) → OpenAPI `/api/users/{id}`. */
const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}');

/** Routes the app serves that are neither allowlisted as public nor documented as secured. */
function unprotectedRoutes(
  routes: readonly { method: string; path: string }[],
  doc: OpenApiDoc,
  publicRoutes: ReadonlySet<string>,
): string[] {
  const secured = new Set(
    operationsOf(doc)
      .filter((o) => o.secured)
      .map((o) => o.key),
  );
  const keys = new Set(
    routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method.toUpperCase()} ${toOpenApiPath(r.path)}`),
  );
  return [...keys].filter((k) => !publicRoutes.has(k) && !secured.has(k)).sort();
}

// Built synchronously so every operation gets its own named tests; checked against the served doc below.
const app = createApp();
const localDoc = app.getOpenAPI31Document(DOC_CONFIG) as unknown as OpenApiDoc;
const OPERATIONS = operationsOf(localDoc);
const SECURED = OPERATIONS.filter((o) => o.secured);

// ---------------------------------------------------------------------------------------------
// Tokens and principals
// ---------------------------------------------------------------------------------------------

const b64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

function claimsFor(user: TestUser, offsetSeconds = 0) {
  const now = Math.floor(Date.now() / 1000) + offsetSeconds;
  return {
    sub: user.id,
    tid: user.tenantId,
    role: user.role,
    iss: env.JWT_ISSUER,
    aud: env.JWT_AUDIENCE,
    iat: now,
    exp: now + 900,
  };
}

function signWith(secret: string, claims: Record<string, unknown>) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}

interface World {
  a: TestTenant;
  b: TestTenant;
  byRole: Record<Role, TestUser>;
  deactivated: TestUser;
  suspendedOwner: TestUser;
}

let world: World;

beforeAll(async () => {
  const a = await createTenant({ plan: 'PRO' });
  const b = await createTenant({ plan: 'PRO' });
  const byRole = { owner: a.owner } as Record<Role, TestUser>;
  for (const role of ROLES) if (role !== 'owner') byRole[role] = await a.addUser(role);
  const deactivated = await a.addUser('owner');
  await testDb().update(users).set({ isActive: false }).where(eq(users.id, deactivated.id));
  const suspended = await createTenant({ plan: 'PRO' });
  await testDb().update(tenants).set({ status: 'suspended' }).where(eq(tenants.id, suspended.id));
  world = { a, b, byRole, deactivated, suspendedOwner: suspended.owner };
});

const fixtureCache = new Map<string, Promise<FixtureRequest>>();
function fixtureFor(op: Operation): Promise<FixtureRequest> | undefined {
  const fixture = SECURITY_FIXTURES[op.key];
  if (!fixture) return op.pathParams.length === 0 ? Promise.resolve({ params: {} }) : undefined;
  let cached = fixtureCache.get(op.key);
  if (!cached) {
    cached = fixture({ tenant: world.a, db: testDb() });
    fixtureCache.set(op.key, cached);
  }
  return cached;
}

async function call(op: Operation, fixture: FixtureRequest, headers: Record<string, string>) {
  let path = op.path;
  for (const name of op.pathParams) {
    const value = fixture.params[name];
    if (value === undefined) throw new Error(`fixture for ${op.key} gives no value for {${name}}`);
    path = path.replace(`{${name}}`, encodeURIComponent(value));
  }
  if (fixture.query) path += `?${new URLSearchParams(fixture.query)}`;
  const hasBody = op.method !== 'GET' && op.method !== 'DELETE';
  return api(path, {
    method: op.method,
    headers,
    ...(hasBody ? { json: fixture.body ?? {} } : {}),
  });
}

/** Roles that lack at least one of the operation's permissions, smallest first. */
function rolesLacking(permissions: readonly Permission[]): Role[] {
  return [...ROLES]
    .filter((role) => permissions.some((p) => !ROLE_PERMISSIONS[role].includes(p)))
    .sort((x, y) => ROLE_PERMISSIONS[x].length - ROLE_PERMISSIONS[y].length);
}

async function expectError(res: Response, status: number, code: string) {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  const body = JSON.parse(text) as { error: { code: string; requestId: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.requestId).toBeTruthy();
  return body;
}

// ---------------------------------------------------------------------------------------------
// (1) Every route is either public on purpose or documented as secured
// ---------------------------------------------------------------------------------------------

describe('route inventory', () => {
  it('the OpenAPI document the Worker serves lists the same operations', async () => {
    const res = await api('/api/openapi.json');
    expect(res.status).toBe(200);
    const served = operationsOf((await res.json()) as OpenApiDoc);
    expect(served.map((o) => `${o.key} secured=${o.secured}`)).toEqual(
      OPERATIONS.map((o) => `${o.key} secured=${o.secured}`),
    );
    expect(SECURED.length).toBeGreaterThan(0);
  });

  it('every registered route is public on purpose or declared with protectedRoute', () => {
    expect(unprotectedRoutes(app.routes, localDoc, PUBLIC_ROUTES)).toEqual([]);
  });

  it('the inventory check catches a route that forgets authentication', () => {
    const leaky = createRouter();
    leaky.get('/api/leaky', (c) => c.json({ secret: true }));
    leaky.openapi(
      {
        method: 'get',
        path: '/api/leaky-documented/{id}',
        responses: { 200: { description: 'no security entry' } },
      } as Parameters<typeof leaky.openapi>[0],
      (c) => c.json({}),
    );
    const doc = leaky.getOpenAPI31Document(DOC_CONFIG) as unknown as OpenApiDoc;
    expect(unprotectedRoutes(leaky.routes, doc, PUBLIC_ROUTES)).toEqual([
      'GET /api/leaky',
      'GET /api/leaky-documented/{id}',
    ]);
  });

  it('every secured operation with a path parameter has a fixture in security-fixtures.ts', () => {
    const missing = SECURED.filter((op) => op.pathParams.length > 0 && !SECURITY_FIXTURES[op.key]).map(
      (op) => op.key,
    );
    expect(missing, 'add an entry to SECURITY_FIXTURES for each of these').toEqual([]);
  });

  it('every fixture names an operation that exists', () => {
    const keys = new Set(OPERATIONS.map((o) => o.key));
    expect(Object.keys(SECURITY_FIXTURES).filter((k) => !keys.has(k))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// (2) Every secured operation refuses bad credentials, small roles and other tenants' ids
// ---------------------------------------------------------------------------------------------

describe.each(SECURED.map((op) => [op.key, op] as const))('%s', (_key, op) => {
  const fixture = async () => {
    const f = fixtureFor(op);
    if (!f) throw new Error(`no security fixture for ${op.key}: add one to tests/api/security-fixtures.ts`);
    return f;
  };

  it('401 without a token', async () => {
    const body = await expectError(await call(op, await fixture(), {}), 401, 'UNAUTHORIZED');
    expect(JSON.stringify(body)).toContain('No token provided');
  });

  it('401 with malformed authorization headers', async () => {
    const f = await fixture();
    for (const header of [
      'Bearer',
      'Bearer ',
      'Basic dXNlcjpwYXNz',
      'Bearer not-a-jwt',
      'Bearer a.b.c.d',
      'token x.y.z',
    ]) {
      await expectError(await call(op, f, { authorization: header }), 401, 'UNAUTHORIZED');
    }
  });

  it('401 with a token signed with another key', async () => {
    const token = await signWith('another-secret-another-secret-another-secret!!', claimsFor(world.a.owner));
    await expectError(
      await call(op, await fixture(), { authorization: `Bearer ${token}` }),
      401,
      'UNAUTHORIZED',
    );
  });

  it('401 with an alg:none token', async () => {
    const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claimsFor(world.a.owner))}.`;
    await expectError(
      await call(op, await fixture(), { authorization: `Bearer ${token}` }),
      401,
      'UNAUTHORIZED',
    );
  });

  it('401 with a tampered payload (role raised, signature kept)', async () => {
    const [header, , signature] = world.byRole.viewer.token.split('.');
    const forged = { ...claimsFor(world.byRole.viewer), role: 'owner', tid: world.b.id };
    const token = `${header}.${b64url(forged)}.${signature}`;
    await expectError(
      await call(op, await fixture(), { authorization: `Bearer ${token}` }),
      401,
      'UNAUTHORIZED',
    );
  });

  it('401 with an expired token', async () => {
    const token = await tokenFor(world.a.owner, -60);
    const body = await expectError(
      await call(op, await fixture(), { authorization: `Bearer ${token}` }),
      401,
      'UNAUTHORIZED',
    );
    expect(JSON.stringify(body)).toContain('Token expired');
  });

  it('401 for a deactivated user and 403 for a suspended tenant', async () => {
    const f = await fixture();
    await expectError(await call(op, f, world.deactivated.headers), 401, 'UNAUTHORIZED');
    await expectError(await call(op, f, world.suspendedOwner.headers), 403, 'FORBIDDEN');
  });

  const lacking = rolesLacking(op.permissions);
  if (lacking.length > 0)
    it(`403 for roles lacking ${op.permissions.join(', ')}`, async () => {
      const f = await fixture();
      for (const role of lacking) {
        const body = (await expectError(await call(op, f, world.byRole[role].headers), 403, 'FORBIDDEN')) as {
          error: { details?: { required?: string[] } };
        };
        expect(body.error.details?.required, role).toEqual(op.permissions);
      }
    });

  if (op.pathParams.length > 0)
    it("404 for another tenant's id, without its data", async () => {
      const f = await fixture();
      const res = await call(op, f, world.b.owner.headers);
      const text = await res.text();
      expect(res.status, text).toBe(404);
      expect(JSON.parse(text).error.code).toBe('NOT_FOUND');
      for (const secret of f.secrets ?? []) expect(text).not.toContain(secret);
    });

  if (op.method === 'GET')
    it('the owner of the data gets through (the refusals above are not vacuous)', async () => {
      const res = await call(op, await fixture(), world.a.owner.headers);
      if (op.pathParams.length > 0) expect(res.status, await res.clone().text()).toBeLessThan(300);
      expect([401, 403]).not.toContain(res.status);
      expect(res.status).toBeLessThan(500);
    });
});
