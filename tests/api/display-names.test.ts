import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { tenants, users } from '../../src/db/schema';
import { api, createTenant, STRONG_PASSWORD, testDb, uniqueEmail, uniqueIp } from './harness';

// Names reach mail subjects (the invite says "You are invited to <tenant name>"): a line break
// there would inject a mail header, so every name a user types refuses control characters.
const HOSTILE_NAMES = ['Acme\r\nBcc: victim@example.com', 'Acme\nCorp', 'Tab\tName', 'Nul\u0000Name'];

async function expectValidation(res: Response, field: string) {
  expect(res.status).toBe(400);
  const body = (await res.json()) as { error: { code: string; details: { field: string }[] } };
  expect(body.error.code).toBe('VALIDATION_FAILED');
  expect(body.error.details.map((d) => d.field)).toContain(field);
}

describe('names typed by users refuse control characters', () => {
  it('PUT /api/tenant keeps the stored name', async () => {
    const t = await createTenant();
    const [before] = await testDb().select().from(tenants).where(eq(tenants.id, t.id));
    for (const name of HOSTILE_NAMES) {
      await expectValidation(
        await api('/api/tenant', { method: 'PUT', as: t.owner, json: { name } }),
        'json.name',
      );
    }
    const [after] = await testDb().select().from(tenants).where(eq(tenants.id, t.id));
    expect(after).toEqual(before);
    const ok = await api('/api/tenant', { method: 'PUT', as: t.owner, json: { name: 'Acme Café GmbH' } });
    expect(ok.status).toBe(200);
  });

  it('POST /api/users creates no member', async () => {
    const t = await createTenant();
    const email = uniqueEmail('named');
    for (const fullName of HOSTILE_NAMES) {
      const res = await api('/api/users', {
        method: 'POST',
        as: t.owner,
        json: { email, fullName, role: 'viewer' },
      });
      await expectValidation(res, 'json.fullName');
    }
    expect(await testDb().select().from(users).where(eq(users.email, email))).toEqual([]);
  });

  it('POST /api/auth/register creates no account', async () => {
    const email = uniqueEmail('register');
    for (const companyName of HOSTILE_NAMES) {
      const res = await api('/api/auth/register', {
        method: 'POST',
        headers: { 'cf-connecting-ip': uniqueIp() },
        json: { email, password: STRONG_PASSWORD, fullName: 'Jane Doe', companyName },
      });
      await expectValidation(res, 'json.companyName');
    }
    expect(await testDb().select().from(users).where(eq(users.email, email))).toEqual([]);
  });
});
