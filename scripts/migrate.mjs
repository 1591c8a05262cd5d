// `npm run db:migrate`: applies drizzle/ migrations to DATABASE_URL (e.g. a Neon branch).
import { applyMigrations } from './lib/migrate.mjs';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error(
    'Set DATABASE_URL to the Postgres to migrate, e.g. DATABASE_URL=postgres://… npm run db:migrate',
  );
  process.exit(1);
}
await applyMigrations(url);
console.log('migrations applied');
