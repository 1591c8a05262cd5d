import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { products, syncJobs, tenants, users } from '../../src/db/schema';
import worker from '../../src/index';
import { MAX_PAGED_ROWS } from '../../src/lib/api-schemas';
import { DEFAULT_BODY_LIMIT_BYTES, PRODUCT_BODY_LIMIT_BYTES } from '../../src/middleware/body-limit';
import {
  api,
  createTenant,
  registerAccount,
  STRONG_PASSWORD,
  testDb,
  uniqueEmail,
  uniqueIp,
} from './harness';
import { newAsin, seedProduct } from './seed';

interface Envelope {
  error: { code: string; message: string; details?: unknown; requestId: string };
}

async function envelope(res: Response): Promise<Envelope['error']> {
  const body = (await res.json()) as Envelope;
  expect(typeof body.error.requestId).toBe('string');
  return body.error;
}

/** Calls the Worker entry with some vars replaced (a fresh env object, as a deploy would give). */
async function withEnv(
  vars: Record<string, string>,
  path: string,
  init?: RequestInit<IncomingRequestCfProperties>,
): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://api.test${path}`, init), { ...env, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

async function tenantRow(id: string) {
  const [row] = await testDb().select().from(tenants).where(eq(tenants.id, id));
  return row;
}

async function productRow(id: string) {
  const [row] = await testDb().select().from(products).where(eq(products.id, id));
  return row;
}

describe('security headers', () => {
  it('sends nosniff, HSTS, no framing and a deny-all CSP on JSON answers, errors included', async () => {
    const t = await createTenant();
    for (const res of [
      await api('/api/tenant', { as: t.owner }),
      await api('/api/tenant'),
      await api('/api/no-such-route'),
    ]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
    }
  });

  it('keeps token and tenant data out of caches: no-store on auth answers and authenticated JSON', async () => {
    const account = await registerAccount();
    const login = await api('/api/auth/login', {
      method: 'POST',
      json: { email: account.email, password: account.password },
      headers: { 'cf-connecting-ip': uniqueIp() },
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('cache-control')).toBe('no-store');
    const refresh = await api('/api/auth/refresh', {
      method: 'POST',
      json: { refreshToken: account.body.tokens.refreshToken },
      headers: { 'cf-connecting-ip': uniqueIp() },
    });
    expect(refresh.status).toBe(200);
    expect(refresh.headers.get('cache-control')).toBe('no-store');
    const me = await api('/api/auth/me', { as: account.user });
    expect(me.status).toBe(200);
    expect(me.headers.get('cache-control')).toBe('no-store');
    const refused = await api('/api/auth/me');
    expect(refused.headers.get('cache-control')).toBe('no-store');
  });

  it('gives the docs page a CSP that allows only jsDelivr and its own inline script, by hash', async () => {
    const res = await api('/api/docs', { headers: { 'cf-connecting-ip': uniqueIp() } });
    expect(res.status).toBe(200);
    const html = await res.text();
    const inline = /<script type="text\/javascript">([\s\S]*?)<\/script>/.exec(html)?.[1];
    expect(inline).toContain('Scalar.createApiReference');
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(inline));
    const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
    const csp = res.headers.get('content-security-policy') ?? '';
    const scriptSrc = csp.split('; ').find((d) => d.startsWith('script-src ')) ?? '';
    expect(scriptSrc).toContain('https://cdn.jsdelivr.net');
    expect(scriptSrc).toContain(`'sha256-${hash}'`);
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
  });
});

describe('CORS', () => {
  const preflight = (vars: Record<string, string>, origin: string) =>
    withEnv(vars, '/api/tenant', {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' },
    });

  it('answers a listed origin with that origin and credentials', async () => {
    const vars = { CORS_ORIGINS: 'https://app.example', APP_ENV: 'production' };
    const res = await preflight(vars, 'https://app.example');
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await preflight(vars, 'https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('answers `*` outside production with a literal * and never with credentials', async () => {
    const vars = { CORS_ORIGINS: '*', APP_ENV: 'development' };
    const res = await preflight(vars, 'https://evil.example');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    const t = await createTenant();
    const get = await withEnv(vars, '/api/tenant', {
      headers: { Origin: 'https://evil.example', ...t.owner.headers },
    });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBe('*');
    expect(get.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('refuses `*` in production: only listed origins get through', async () => {
    const vars = { CORS_ORIGINS: '*,https://app.example', APP_ENV: 'production' };
    const evil = await preflight(vars, 'https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(evil.headers.get('access-control-allow-credentials')).toBeNull();
    const listed = await preflight(vars, 'https://app.example');
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });
});

describe('body limits', () => {
  it(`refuses a body over ${DEFAULT_BODY_LIMIT_BYTES} bytes with 413 in the envelope, changing nothing`, async () => {
    const t = await createTenant();
    const before = await tenantRow(t.id);
    const res = await api('/api/tenant', {
      method: 'PUT',
      as: t.owner,
      json: { name: 'x'.repeat(DEFAULT_BODY_LIMIT_BYTES) },
    });
    expect(res.status).toBe(413);
    const error = await envelope(res);
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.details).toEqual({ maxBytes: DEFAULT_BODY_LIMIT_BYTES });
    expect(await tenantRow(t.id)).toEqual(before);
  });

  it('counts a streamed body without Content-Length too', async () => {
    const email = uniqueEmail('stream');
    const chunk = new TextEncoder().encode(' '.repeat(16 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode(`{"email":"${email}",`));
        if (sent > 8) controller.close();
        else controller.enqueue(chunk);
        sent++;
      },
    });
    const res = await api('/api/auth/register', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': uniqueIp() },
      // @ts-expect-error: workerd needs half duplex for a streamed request body.
      duplex: 'half',
    });
    expect(res.status).toBe(413);
    expect((await envelope(res)).code).toBe('PAYLOAD_TOO_LARGE');
    expect(await testDb().select().from(users).where(eq(users.email, email))).toEqual([]);
  });

  it('lets the largest valid bulk product update through, and refuses one byte more', async () => {
    const t = await createTenant();
    const product = await seedProduct(t.id, {});
    const wide = '漢'; // three bytes in UTF-8: the widest text a seller plausibly types
    const customFields = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [
        `${String(i).padStart(2, '0')}${wide.repeat(48)}`,
        wide.repeat(500),
      ]),
    );
    const updates = {
      notes: wide.repeat(500),
      tags: Array.from({ length: 10 }, (_, i) => `${wide.repeat(48)}${String(i).padStart(2, '0')}`),
      customFields,
      leadTimeDays: 365,
    };
    const asins = [product.asin, ...Array.from({ length: 99 }, () => newAsin())];
    const json = JSON.stringify({ asins, updates });
    const bytes = new TextEncoder().encode(json).length;
    console.log(`largest valid bulk product update: ${bytes} bytes`);
    expect(bytes).toBeGreaterThan(DEFAULT_BODY_LIMIT_BYTES);
    expect(bytes).toBeLessThanOrEqual(PRODUCT_BODY_LIMIT_BYTES);
    const ok = await api('/api/products/bulk-update', {
      method: 'POST',
      as: t.owner,
      body: json,
      headers: { 'content-type': 'application/json' },
    });
    expect(ok.status).toBe(200);
    expect((await productRow(product.id))?.notes).toBe(updates.notes);

    const before = await productRow(product.id);
    const padded = JSON.stringify({ asins, updates: { ...updates, notes: 'n' } }).replace(
      '"notes":"n"',
      `"notes":"n${' '.repeat(PRODUCT_BODY_LIMIT_BYTES)}"`,
    );
    const tooLarge = await api('/api/products/bulk-update', {
      method: 'POST',
      as: t.owner,
      body: padded,
      headers: { 'content-type': 'application/json' },
    });
    expect(tooLarge.status).toBe(413);
    expect((await envelope(tooLarge)).details).toEqual({ maxBytes: PRODUCT_BODY_LIMIT_BYTES });
    expect(await productRow(product.id)).toEqual(before);
  });
});

describe('NUL characters, refused once for every input', () => {
  it('400 for a NUL in a query parameter (Postgres text cannot hold it)', async () => {
    const t = await createTenant();
    const product = await seedProduct(t.id, {});
    const res = await api(`/api/products/${product.asin}?marketplaceId=%00`, { as: t.owner });
    expect(res.status).toBe(400);
    const error = await envelope(res);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual([
      { field: 'query.marketplaceId', message: expect.any(String), code: 'nul_character' },
    ]);
  });

  it('400 for a NUL in a JSON string or key, nested or not, changing nothing', async () => {
    const t = await createTenant();
    const product = await seedProduct(t.id, {});
    const before = await productRow(product.id);
    for (const body of [
      { notes: 'a\u0000b' },
      { customFields: { 'k\u0000': 'v' } },
      { tags: ['ok', '\u0000'] },
    ]) {
      const res = await api(`/api/products/${product.asin}`, { method: 'PUT', as: t.owner, json: body });
      expect(res.status).toBe(400);
      const error = await envelope(res);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(error.details)).toContain('nul_character');
    }
    expect(await productRow(product.id)).toEqual(before);

    const email = uniqueEmail('nul');
    const register = await api('/api/auth/register', {
      method: 'POST',
      json: { email, password: STRONG_PASSWORD, fullName: 'Nul\u0000Person', companyName: 'Nul Co' },
      headers: { 'cf-connecting-ip': uniqueIp() },
    });
    expect(register.status).toBe(400);
    expect(await testDb().select().from(users).where(eq(users.email, email))).toEqual([]);
  });
});

describe('dates outside 2000..2100 are a 400, not a database error', () => {
  it('refuses year 0 and extended years on the shared date schemas', async () => {
    const t = await createTenant();
    for (const path of [
      '/api/orders?startDate=0000-01-01&endDate=0000-01-02',
      '/api/orders?startDate=2101-01-01&endDate=2101-01-02',
      '/api/metrics/dashboard?startDate=1999-12-30&endDate=1999-12-31',
      '/api/sync/history?startDate=-200000-01-01',
      '/api/sync/history?endDate=%2B275760-09-13',
      '/api/sync/history?startDate=2020',
    ]) {
      const res = await api(path, { as: t.owner });
      expect(res.status, path).toBe(400);
      expect((await envelope(res)).code).toBe('VALIDATION_FAILED');
    }
    expect((await api('/api/sync/history?startDate=2026-01-01T00:00:00Z', { as: t.owner })).status).toBe(200);
  });

  it('refuses an out-of-range manual sync window without queueing anything', async () => {
    const t = await createTenant();
    const res = await api('/api/sync/manual', {
      method: 'POST',
      as: t.owner,
      json: { types: ['orders'], dateRange: { startDate: '-200000-01-01', endDate: '+275760-09-13' } },
    });
    expect(res.status).toBe(400);
    expect((await envelope(res)).code).toBe('VALIDATION_FAILED');
    expect(await testDb().select().from(syncJobs).where(eq(syncJobs.tenantId, t.id))).toEqual([]);
  });
});

describe('offset paging depth', () => {
  it(`stops at ${MAX_PAGED_ROWS} rows with a 400 naming page`, async () => {
    const t = await createTenant();
    const orders = (q: string) =>
      api(`/api/orders?startDate=2026-01-01&endDate=2026-01-31&${q}`, { as: t.owner });
    expect((await orders('page=100&limit=100')).status).toBe(200);
    for (const res of [
      await orders('page=101&limit=100'),
      await orders('page=100000&limit=100'),
      await api('/api/sync/history?page=401&limit=25', { as: t.owner }),
      await api('/api/finance/transactions?startDate=2026-01-01&endDate=2026-01-31&page=201&limit=50', {
        as: t.owner,
      }),
    ]) {
      expect(res.status).toBe(400);
      const error = await envelope(res);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(error.details)).toContain('query.page');
    }
  });
});
