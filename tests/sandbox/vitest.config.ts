import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: new URL('../..', import.meta.url).pathname,
  plugins: [
    cloudflareTest({
      main: './workers/amazon-sandbox/src/index.ts',
      wrangler: { configPath: './workers/amazon-sandbox/wrangler.toml' },
      miniflare: {
        bindings: { REPORT_QUEUE_SECONDS: '0', REPORT_PROCESSING_SECONDS: '0', ADS_REPORT_SECONDS: '0' },
      },
    }),
  ],
  test: {
    name: 'sandbox',
    include: ['tests/sandbox/**/*.test.ts'],
  },
});
