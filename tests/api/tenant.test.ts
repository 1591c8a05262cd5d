import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { activityLog, tenants } from '../../src/db/schema';
import { api, createTenant, testDb } from './harness';

interface TenantBody {
  tenant: { id: string; name: string; plan: string; timezone: string; currency: string; language: string };
}

describe('GET /api/tenant', () => {
  it("returns the caller's tenant to any member", async () => {
    const t = await createTenant({ timezone: 'Asia/Tokyo', currency: 'JPY' });
    const viewer = await t.addUser('viewer');
    const res = await api('/api/tenant', { as: viewer });
    expect(res.status).toBe(200);
    const body = (await res.json()) as TenantBody;
    expect(body.tenant).toMatchObject({ id: t.id, plan: t.plan, timezone: 'Asia/Tokyo', currency: 'JPY' });
  });
});

describe('PUT /api/tenant', () => {
  it('updates name, timezone, currency and language and bumps the data version', async () => {
    const t = await createTenant();
    const [before] = await testDb().select().from(tenants).where(eq(tenants.id, t.id));
    const res = await api('/api/tenant', {
      method: 'PUT',
      json: { name: 'Renamed Co', timezone: 'America/Sao_Paulo', currency: 'BRL', language: 'pt-BR' },
      as: t.owner,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as TenantBody;
    expect(body.tenant).toMatchObject({
      name: 'Renamed Co',
      timezone: 'America/Sao_Paulo',
      currency: 'BRL',
      language: 'pt-BR',
      plan: t.plan,
    });
    const [after] = await testDb().select().from(tenants).where(eq(tenants.id, t.id));
    expect(after!.dataVersion).toBe(before!.dataVersion + 1);
    const audit = await testDb().select().from(activityLog).where(eq(activityLog.tenantId, t.id));
    expect(audit.map((a) => a.action)).toContain('tenant.update');
  });

  it('a name-only change leaves the data version alone', async () => {
    const t = await createTenant();
    const res = await api('/api/tenant', { method: 'PUT', json: { name: 'Only Name' }, as: t.owner });
    expect(res.status).toBe(200);
    const [after] = await testDb().select().from(tenants).where(eq(tenants.id, t.id));
    expect(after!.dataVersion).toBe(0);
  });

  it('refuses plan, status and other unknown fields, bad zones, currencies and languages (400)', async () => {
    const t = await createTenant({ plan: 'STARTER' });
    for (const json of [
      { plan: 'ENTERPRISE' },
      { name: 'X Co', plan: 'ENTERPRISE' },
      { status: 'active' },
      { id: crypto.randomUUID() },
      { timezone: 'Nowhere/Special' },
      { currency: 'usd' },
      { currency: 'ZZZ' },
      { language: 'de-DE' },
      {},
    ]) {
      const res = await api('/api/tenant', { method: 'PUT', json, as: t.owner });
      expect(res.status, JSON.stringify(json)).toBe(400);
      const body = (await res.json()) as { error: { code: string; details: unknown } };
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect(body.error.details).toBeTruthy();
    }
    const [row] = await testDb().select().from(tenants).where(eq(tenants.id, t.id));
    expect(row!.plan).toBe('STARTER');
  });

  it('needs settings.manage: analysts and viewers get 403', async () => {
    const t = await createTenant();
    const admin = await t.addUser('admin');
    expect((await api('/api/tenant', { method: 'PUT', json: { name: 'By Admin' }, as: admin })).status).toBe(
      200,
    );
    for (const role of ['analyst', 'viewer'] as const) {
      const res = await api('/api/tenant', {
        method: 'PUT',
        json: { name: 'Nope' },
        as: await t.addUser(role),
      });
      expect(res.status).toBe(403);
    }
  });

  it("changes only the caller's tenant", async () => {
    const a = await createTenant();
    const b = await createTenant();
    await api('/api/tenant', { method: 'PUT', json: { name: 'Tenant A New' }, as: a.owner });
    const [row] = await testDb().select().from(tenants).where(eq(tenants.id, b.id));
    expect(row!.name).not.toBe('Tenant A New');
  });
});
