import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';

interface Envelope {
  error: { code: string; message: string; details?: unknown; requestId: string };
}

describe('the one error envelope', () => {
  it('answers an unknown route with 404 NOT_FOUND and a request id', async () => {
    const res = await exports.default.fetch('http://api.test/api/no-such-thing');
    expect(res.status).toBe(404);
    const body = (await res.json()) as Envelope;
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('answers a wrong method on a known route with 405 and an Allow header', async () => {
    const res = await exports.default.fetch('http://api.test/api/health', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toContain('GET');
    const body = (await res.json()) as Envelope;
    expect(body.error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('echoes a well-formed caller request id and replaces a malformed one', async () => {
    const ok = await exports.default.fetch('http://api.test/api/nothing', {
      headers: { 'x-request-id': 'req-12345678' },
    });
    expect(((await ok.json()) as Envelope).error.requestId).toBe('req-12345678');
    const bad = await exports.default.fetch('http://api.test/api/nothing', {
      headers: { 'x-request-id': 'x y<>' },
    });
    expect(((await bad.json()) as Envelope).error.requestId).not.toBe('x y<>');
  });

  it('reports a missing secret as a clear configuration error naming it', async () => {
    const { JWT_SECRET: _omit, ...withoutSecret } = env as typeof env & { JWT_SECRET: string };
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request('http://api.test/api/health'),
      withoutSecret as typeof env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    const body = (await res.json()) as Envelope;
    expect(body.error.message).toContain('JWT_SECRET');
  });

  it('serves the OpenAPI document and a docs page', async () => {
    const doc = await exports.default.fetch('http://api.test/api/openapi.json');
    expect(doc.status).toBe(200);
    const json = (await doc.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(json.openapi).toBe('3.1.0');
    expect(Object.keys(json.paths)).toContain('/api/health');
    const page = await exports.default.fetch('http://api.test/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    // The Scalar viewer, pointed at the document above.
    expect(html).toContain('<title>SellerPulse API</title>');
    expect(html).toContain('Scalar.createApiReference');
    expect(html).toContain('"url": "/api/openapi.json"');
  });

  it('answers CORS preflight only for configured origins', async () => {
    const allowed = await exports.default.fetch('http://api.test/api/health', {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'GET' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    const denied = await exports.default.fetch('http://api.test/api/health', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });
});
