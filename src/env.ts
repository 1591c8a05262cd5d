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

const validated = new WeakSet<object>();

/**
 * Checks vars and secrets once per env object (isolates reuse it), so a missing secret fails
 * loudly at the entry instead of deep inside a handler.
 */
export function assertValidEnv(env: AppEnv): void {
  if (validated.has(env)) return;
  const problems: string[] = [];
  const secrets = secretsSchema.safeParse(env);
  if (!secrets.success) {
    for (const issue of secrets.error.issues)
      problems.push(`${issue.path.join('.') || 'env'}: ${issue.message}`);
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
