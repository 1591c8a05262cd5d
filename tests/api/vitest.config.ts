import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { TEST_SECRETS } from './test-secrets.ts';

const fromRoot = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => {
      const databaseUrl = inject('databaseUrl');
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
