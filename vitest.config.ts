import { defineConfig } from 'vitest/config';

// One project per Worker under test: the API (with Postgres) and the Amazon sandbox.
export default defineConfig({
  test: {
    projects: ['tests/*/vitest.config.ts'],
  },
});
