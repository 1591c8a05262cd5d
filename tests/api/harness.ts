import { env, exports } from 'cloudflare:workers';
import { createDb, type Database } from '../../src/db/client';
import { tenants, users } from '../../src/db/schema';
import type { Role } from '../../src/db/schema/roles';
import { signAccessToken } from '../../src/lib/jwt';

/** One Drizzle client for a test file, over the same Hyperdrive binding the Worker uses. */
let shared: Database | undefined;
export function testDb(): Database {
  shared ??= createDb({ HYPERDRIVE: env.HYPERDRIVE }).db;
  return shared;
}

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  tenantId: string;
  token: string;
  headers: Record<string, string>;
}

export interface TestTenant {
  id: string;
  plan: 'STARTER' | 'PRO' | 'ENTERPRISE';
  owner: TestUser;
  /** Adds a member with the given role and returns it with a valid access token. */
  addUser(role: Role): Promise<TestUser>;
}

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${crypto.randomUUID().slice(0, 8)}`;

export async function tokenFor(user: { id: string; tenantId: string; role: string }, ttlSeconds?: number) {
  return signAccessToken(env, { userId: user.id, tenantId: user.tenantId, role: user.role }, ttlSeconds);
}

async function insertUser(tenantId: string, role: Role): Promise<TestUser> {
  const email = `${role}-${unique()}@test.sellerpulse.dev`;
  const [row] = await testDb()
    .insert(users)
    .values({ tenantId, email, fullName: `Test ${role}`, role, passwordHash: null })
    .returning({ id: users.id });
  const id = row!.id;
  const token = await tokenFor({ id, tenantId, role });
  return { id, email, role, tenantId, token, headers: { authorization: `Bearer ${token}` } };
}

/** A fresh tenant with an owner: no test depends on another test's data. */
export async function createTenant(
  options: { plan?: TestTenant['plan']; timezone?: string; currency?: string } = {},
): Promise<TestTenant> {
  const [tenant] = await testDb()
    .insert(tenants)
    .values({
      name: `Tenant ${unique()}`,
      plan: options.plan ?? 'PRO',
      timezone: options.timezone ?? 'UTC',
      currency: options.currency ?? 'USD',
    })
    .returning({ id: tenants.id, plan: tenants.plan });
  const owner = await insertUser(tenant!.id, 'owner');
  return { id: tenant!.id, plan: tenant!.plan, owner, addUser: (role) => insertUser(tenant!.id, role) };
}

/** Calls the Worker through its real entry. `json` sets the body and content type. */
export function api(path: string, init: RequestInit & { json?: unknown; as?: TestUser } = {}): Promise<Response> {
  const { json, as, headers, ...rest } = init;
  const merged = new Headers(headers);
  if (as) merged.set('authorization', `Bearer ${as.token}`);
  if (json !== undefined) merged.set('content-type', 'application/json');
  return exports.default.fetch(`http://api.test${path}`, {
    ...rest,
    headers: merged,
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  });
}
