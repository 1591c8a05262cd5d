import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { signAccessToken } from '../../src/lib/jwt';
import { createTenant } from './harness';

interface Envelope {
  error: { code: string; message: string };
}

const hex = (bytes: number) =>
  [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
const base64Key = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** Secrets as `npm run dev` or an operator would make them: random, of the documented size. */
function strongSecrets() {
  return {
    JWT_SECRET: hex(32),
    TOKEN_ENCRYPTION_KEYS: `1:${base64Key(crypto.getRandomValues(new Uint8Array(32)))},2:${base64Key(crypto.getRandomValues(new Uint8Array(32)))}`,
    LWA_CLIENT_ID: `amzn1.application-oa2-client.${hex(16)}`,
    LWA_CLIENT_SECRET: `amzn1.oa2-cs.v1.${hex(32)}`,
    ADS_CLIENT_ID: `amzn1.application-oa2-client.${hex(16)}`,
    ADS_CLIENT_SECRET: `amzn1.oa2-cs.v1.${hex(32)}`,
    NOTIFICATIONS_API_KEY: hex(24),
  };
}

/** One request through the real entry with a modified environment. */
async function requestWith(overrides: Record<string, string>) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request('http://api.test/api/no-such-route'),
    { ...env, ...overrides } as typeof env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: (await res.json()) as Envelope };
}

/** The secrets committed in .dev.vars.example, read from the file itself. */
async function exampleSecrets(): Promise<[string, string][]> {
  const text = ((await import('../../.dev.vars.example?raw' as string)) as { default: string }).default;
  return text
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
}

describe('deployed environments refuse placeholder and weak secrets (503 before any route runs)', () => {
  it('refuses every value of .dev.vars.example in staging and production, naming the secret only', async () => {
    const examples = await exampleSecrets();
    expect(examples.map(([name]) => name)).toEqual([
      'JWT_SECRET',
      'TOKEN_ENCRYPTION_KEYS',
      'LWA_CLIENT_ID',
      'LWA_CLIENT_SECRET',
      'ADS_CLIENT_ID',
      'ADS_CLIENT_SECRET',
      'NOTIFICATIONS_API_KEY',
    ]);
    for (const APP_ENV of ['staging', 'production']) {
      for (const [name, value] of examples) {
        const { status, body } = await requestWith({ ...strongSecrets(), APP_ENV, [name]: value });
        expect(status, `${APP_ENV} ${name}`).toBe(503);
        expect(body.error.code).toBe('SERVICE_UNAVAILABLE');
        expect(body.error.message).toContain(`${name}: is the placeholder from .dev.vars.example`);
        expect(body.error.message).not.toContain(value);
      }
    }
  });

  it('refuses an example key hidden in a key ring, non-random AES keys and low-entropy secrets', async () => {
    const zeroKey = base64Key(new Uint8Array(32));
    const cases: [Record<string, string>, string][] = [
      [
        { TOKEN_ENCRYPTION_KEYS: `1:${zeroKey},2:${base64Key(crypto.getRandomValues(new Uint8Array(32)))}` },
        'TOKEN_ENCRYPTION_KEYS',
      ],
      [{ TOKEN_ENCRYPTION_KEYS: `3:${base64Key(new Uint8Array(32).fill(0x41))}` }, 'TOKEN_ENCRYPTION_KEYS'],
      [
        { TOKEN_ENCRYPTION_KEYS: `1:${base64Key(new Uint8Array(32).map((_, i) => i % 8))}` },
        'TOKEN_ENCRYPTION_KEYS',
      ],
      [{ JWT_SECRET: 'a'.repeat(64) }, 'JWT_SECRET'],
      [{ JWT_SECRET: 'abcdefgh'.repeat(8) }, 'JWT_SECRET'],
      // 32 random hex digits: 128 bits, short of HS256's 256.
      [{ JWT_SECRET: hex(16).slice(0, 32) }, 'JWT_SECRET'],
      [{ NOTIFICATIONS_API_KEY: 'my-webhook-key-x' }, 'NOTIFICATIONS_API_KEY'],
    ];
    for (const [overrides, name] of cases) {
      const { status, body } = await requestWith({ ...strongSecrets(), APP_ENV: 'production', ...overrides });
      expect(status, JSON.stringify(overrides)).toBe(503);
      expect(body.error.message).toContain(`${name}: `);
      for (const value of Object.values(overrides)) expect(body.error.message).not.toContain(value);
    }
  });

  it('starts in production with strong secrets', async () => {
    const { status, body } = await requestWith({ ...strongSecrets(), APP_ENV: 'production' });
    expect(status).toBe(404);
    expect(body.error.code).toBe('NOT_FOUND');
  });

  it('development keeps working with the example values (and an unknown environment is strict)', async () => {
    const examples = Object.fromEntries(await exampleSecrets());
    expect((await requestWith({ ...examples, APP_ENV: 'development' })).status).toBe(404);
    expect((await requestWith({ ...examples, APP_ENV: 'preview' })).status).toBe(503);
  });
});

describe('JWT issuer and audience per environment', () => {
  it('differ between development, staging and production in wrangler.toml', async () => {
    const toml = ((await import('../../wrangler.toml?raw' as string)) as { default: string }).default;
    const values = (name: string) =>
      [...toml.matchAll(new RegExp(`^${name} = "([^"]+)"`, 'gm'))].map((m) => m[1]);
    const environments = values('APP_ENV');
    expect(environments).toEqual(['development', 'staging', 'production']);
    for (const name of ['JWT_ISSUER', 'JWT_AUDIENCE']) {
      const perEnvironment = values(name);
      expect(perEnvironment, name).toHaveLength(3);
      expect(new Set(perEnvironment).size, name).toBe(3);
      for (const [i, value] of perEnvironment.entries()) expect(value).toContain(environments[i]);
    }
  });

  it("refuses a token minted for another environment's issuer and audience, even with the same key", async () => {
    const t = await createTenant();
    const claims = { userId: t.owner.id, tenantId: t.id, role: 'owner' };
    const staging = { ...env, JWT_ISSUER: 'sellerpulse-staging', JWT_AUDIENCE: 'sellerpulse-api-staging' };
    const token = await signAccessToken(staging, claims);
    const call = async (target: typeof env) => {
      const ctx = createExecutionContext();
      const res = await worker.fetch(
        new Request('http://api.test/api/auth/me', { headers: { authorization: `Bearer ${token}` } }),
        target,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return res.status;
    };
    expect(await call({ ...staging })).toBe(200);
    expect(
      await call({
        ...env,
        JWT_ISSUER: 'sellerpulse-production',
        JWT_AUDIENCE: 'sellerpulse-api-production',
      }),
    ).toBe(401);
  });
});
