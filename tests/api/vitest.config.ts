import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { TEST_SECRETS } from './test-secrets.ts';

const fromRoot = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => {
      const databaseUrl = inject('databaseUrl');
      // The Amazon sandbox Worker started by global-setup stands in for LWA, SP-API, Ads and Seller Central.
      const sandboxUrl = inject('sandboxUrl');
      return {
        main: fromRoot('src/index.ts'),
        wrangler: { configPath: fromRoot('wrangler.toml') },
        miniflare: {
          hyperdrives: { HYPERDRIVE: databaseUrl },
          bindings: {
            ...TEST_SECRETS,
            DATABASE_URL: databaseUrl,
            NEON_WS_PROXY: inject('neonProxy'),
            MIGRATION_COUNT: inject('migrationCount'),
            // Client rate limits ×100 so suites making many requests never trip them by accident.
            RATE_LIMIT_MULTIPLIER: '100',
            // Request logs at info level drown the test report; warnings and errors still print.
            LOG_LEVEL: 'warn',
            SPAPI_BASE_URL: sandboxUrl,
            LWA_BASE_URL: sandboxUrl,
            ADS_BASE_URL: sandboxUrl,
            SELLER_CENTRAL_URL: sandboxUrl,
            // Short waits against the local sandbox: retries, report polls and deadlines.
            AMAZON_RETRY_BASE_MS: '20',
            AMAZON_MAX_WAIT_MS: '3000',
            REPORT_POLL_FIRST_MS: '50',
            REPORT_POLL_MAX_MS: '200',
            REPORT_DEADLINE_MS: '3000',
          },
        },
      };
    }),
  ],
  test: {
    name: 'api',
    include: ['**/*.test.ts'],
    globalSetup: ['./global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
