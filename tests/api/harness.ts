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
const unique = () =>
  `${Date.now().toString(36)}${(counter++).toString(36)}${crypto.randomUUID().slice(0, 8)}`;

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
export function api(
  path: string,
  init: RequestInit & { json?: unknown; as?: TestUser } = {},
): Promise<Response> {
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

/** A fresh, unused email address. */
export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${unique()}@test.sellerpulse.dev`;
}

/** A fresh client address, so one test's IP rate-limit buckets never meet another's. */
export function uniqueIp(): string {
  const b = crypto.getRandomValues(new Uint8Array(3));
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

export const STRONG_PASSWORD = 'Str0ng!Passw0rd';

export interface RegisteredAccount {
  email: string;
  password: string;
  body: {
    success: boolean;
    user: { id: string; email: string; tenantId: string; role: Role; fullName: string };
    tokens: { accessToken: string; refreshToken: string; expiresIn: number };
    tenant: { id: string; name: string; plan: string; settings: Record<string, unknown> };
  };
  /** The owner as a TestUser (token = the access token register returned). */
  user: TestUser;
}

/** Registers a new tenant and owner through the real endpoint. */
export async function registerAccount(overrides: Record<string, unknown> = {}): Promise<RegisteredAccount> {
  const email = uniqueEmail('owner');
  const payload = {
    email,
    password: STRONG_PASSWORD,
    fullName: 'Owner Person',
    companyName: `Company ${unique()}`,
    ...overrides,
  };
  const res = await api('/api/auth/register', {
    method: 'POST',
    json: payload,
    headers: { 'cf-connecting-ip': uniqueIp() },
  });
  if (res.status !== 201) throw new Error(`register answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as RegisteredAccount['body'];
  const token = body.tokens.accessToken;
  return {
    email: payload.email as string,
    password: payload.password as string,
    body,
    user: {
      id: body.user.id,
      email: body.user.email,
      role: body.user.role,
      tenantId: body.user.tenantId,
      token,
      headers: { authorization: `Bearer ${token}` },
    },
  };
}
