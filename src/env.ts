import { z } from 'zod';

/**
 * Optional vars that shorten Amazon retry and report-poll waits (tests, the local sandbox; read by
 * `tuningFrom`). Not in wrangler.toml, so `Env` does not list them: production uses the defaults.
 */
export interface AmazonWaitVars {
  AMAZON_RETRY_BASE_MS?: string;
  AMAZON_MAX_WAIT_MS?: string;
  REPORT_POLL_FIRST_MS?: string;
  REPORT_POLL_MAX_MS?: string;
  REPORT_DEADLINE_MS?: string;
}

/**
 * Every binding, plain var and secret the Worker sees. `Env` comes from `npm run cf-typegen`
 * (secrets read from `.dev.vars.example`); DATABASE_URL is the optional direct-connection secret.
 */
export type AppEnv = Env & AmazonWaitVars & { DATABASE_URL?: string };

const keyList = z
  .string()
  .regex(
    /^\d+:[A-Za-z0-9+/]{43}=(,\d+:[A-Za-z0-9+/]{43}=)*$/,
    'expected "version:base64(32 bytes)" pairs, comma separated',
  );

const secretsSchema = z.object({
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  TOKEN_ENCRYPTION_KEYS: keyList,
  LWA_CLIENT_ID: z.string().min(1),
  LWA_CLIENT_SECRET: z.string().min(1),
  ADS_CLIENT_ID: z.string().min(1),
  ADS_CLIENT_SECRET: z.string().min(1),
  NOTIFICATIONS_API_KEY: z.string().min(16, 'must be at least 16 characters'),
  DATABASE_URL: z.string().url().optional(),
});

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid Worker configuration: ${problems.join('; ')}. See .dev.vars.example.`);
    this.name = 'ConfigError';
  }
}

/**
 * The values committed in `.dev.vars.example` (tests/api/config.test.ts keeps this list equal to
 * the file). Anyone can read them: a deployed Worker with one of them lets anyone mint tokens or
 * read sealed secrets, so outside development they are refused, whichever secret holds them.
 */
const EXAMPLE_VALUES: ReadonlySet<string> = new Set([
  'change-me-to-a-random-string-of-at-least-32-chars',
  '1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  'amzn1.application-oa2-client.sandbox',
  'sandbox-secret',
  'change-me-notifications-key',
]);

/** Only local development may run with the example secrets or weak ones. */
const RELAXED_ENVIRONMENTS = new Set(['development']);

/**
 * Rough entropy of a secret: its length times the bits of the smallest alphabet it fits (hex,
 * or the character classes it uses). Repetitive strings are caught in `weakSecret`.
 */
function estimatedBits(secret: string): number {
  if (/^[0-9a-f]+$/i.test(secret)) return secret.length * 4;
  const alphabet =
    (/[a-z]/.test(secret) ? 26 : 0) +
    (/[A-Z]/.test(secret) ? 26 : 0) +
    (/\d/.test(secret) ? 10 : 0) +
    (/[^A-Za-z0-9]/.test(secret) ? 33 : 0);
  return secret.length * Math.log2(alphabet);
}

/** Shannon entropy of the characters actually used: near 0 for "aaaa…" (random hex: 3.2 to 3.9). */
function bitsPerCharacter(secret: string): number {
  const counts = new Map<string, number>();
  for (const ch of secret) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / secret.length) * Math.log2(n / secret.length);
  return bits;
}

function weakSecret(secret: string, minBits: number): string | undefined {
  const repeated = /^(.+?)\1+$/.test(secret);
  if (estimatedBits(secret) < minBits || bitsPerCharacter(secret) < 2.5 || repeated) {
    return `too weak (needs about ${minBits} random bits, e.g. \`openssl rand -hex ${minBits / 8}\`)`;
  }
  return undefined;
}

/** A 32-byte AES key made of few distinct bytes (all zero, one repeated byte) is not random. */
function weakKeys(spec: string): string | undefined {
  const keys = spec.split(',').map((pair) => pair.slice(pair.indexOf(':') + 1));
  const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  if (keys.some((key) => EXAMPLE_VALUES.has(key))) return 'contains the key from .dev.vars.example';
  if (keys.some((key) => new Set(bytes(key)).size < 16)) return 'contains a key that is not random';
  if (new Set(keys).size !== keys.length) return 'repeats a key under two versions';
  return undefined;
}

/** Outside development: no example value anywhere, and keys strong enough for their use. */
function deploymentProblems(env: AppEnv): string[] {
  if (RELAXED_ENVIRONMENTS.has(env.APP_ENV)) return [];
  const checks: [name: string, value: string, weakness: string | undefined][] = [
    // HS256: a key with less entropy than the hash output (256 bits) weakens every token.
    ['JWT_SECRET', env.JWT_SECRET, weakSecret(env.JWT_SECRET, 256)],
    ['TOKEN_ENCRYPTION_KEYS', env.TOKEN_ENCRYPTION_KEYS, weakKeys(env.TOKEN_ENCRYPTION_KEYS)],
    ['LWA_CLIENT_ID', env.LWA_CLIENT_ID, undefined],
    ['LWA_CLIENT_SECRET', env.LWA_CLIENT_SECRET, undefined],
    ['ADS_CLIENT_ID', env.ADS_CLIENT_ID, undefined],
    ['ADS_CLIENT_SECRET', env.ADS_CLIENT_SECRET, undefined],
    ['NOTIFICATIONS_API_KEY', env.NOTIFICATIONS_API_KEY, weakSecret(env.NOTIFICATIONS_API_KEY, 128)],
  ];
  return checks.flatMap(([name, value, weakness]) => {
    if (EXAMPLE_VALUES.has(value)) return [`${name}: is the placeholder from .dev.vars.example`];
    return weakness ? [`${name}: ${weakness}`] : [];
  });
}

const validated = new WeakSet<object>();

/**
 * Checks vars and secrets once per env object (isolates reuse it), so a missing secret fails
 * loudly at the entry instead of deep inside a handler. Outside development, placeholder and weak
 * secrets fail the same way. Messages name the secret, never its value.
 */
export function assertValidEnv(env: AppEnv): void {
  if (validated.has(env)) return;
  const problems: string[] = [];
  const secrets = secretsSchema.safeParse(env);
  if (!secrets.success) {
    for (const issue of secrets.error.issues)
      problems.push(`${issue.path.join('.') || 'env'}: ${issue.message}`);
  } else {
    problems.push(...deploymentProblems(env));
  }
  if (!env.HYPERDRIVE && !env.DATABASE_URL)
    problems.push('HYPERDRIVE binding or DATABASE_URL secret is required');
  if (problems.length > 0) throw new ConfigError(problems);
  validated.add(env);
}

/** The browser origins allowed by CORS, from the comma-separated `CORS_ORIGINS` var; `*` allows any. */
export function corsOrigins(env: Pick<AppEnv, 'CORS_ORIGINS'>): string[] {
  return env.CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}

/** The web app's own origin (for links in invites): the first configured origin that is not `*`. */
export function webAppOrigin(env: Pick<AppEnv, 'CORS_ORIGINS'>): string | undefined {
  return corsOrigins(env).find((o) => o !== '*');
}
