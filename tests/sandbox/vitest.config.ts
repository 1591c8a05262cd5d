import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

const fromRoot = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

// Absolute paths, so the project behaves the same run alone (--config) or from the root config's projects.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [
    cloudflareTest({
      main: fromRoot('workers/amazon-sandbox/src/index.ts'),
      wrangler: { configPath: fromRoot('workers/amazon-sandbox/wrangler.toml') },
      miniflare: {
        // Reports and Ads reports finish at once; tests that need moving states set per-seller delays.
        bindings: { REPORT_QUEUE_SECONDS: '0', REPORT_PROCESSING_SECONDS: '0', ADS_REPORT_SECONDS: '0' },
      },
    }),
  ],
  test: {
    name: 'sandbox',
    include: ['**/*.test.ts'],
    testTimeout: 60_000,
  },
});
