import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { applyMigrations, MIGRATIONS_FOLDER } from '../../scripts/lib/migrate.mjs';
import { startPglite } from '../../scripts/lib/pglite-server.mjs';
import { startWsBridge } from '../../scripts/lib/ws-bridge.mjs';

/**
 * Starts the database the suite runs against: a throwaway database on TEST_DATABASE_URL's server
 * (CI: Postgres 15), or an in-memory PGlite served over TCP. Applies every migration to it from
 * empty, and starts the WebSocket bridge the Neon driver path uses.
 */
export default async function setup(project: TestProject) {
  const stops: Array<() => Promise<void>> = [];
  let databaseUrl: string;

  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `sellerpulse_test_${Date.now()}_${process.pid}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    if (!url.password) url.password = 'postgres';
    databaseUrl = url.toString();
    stops.push(async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end({ timeout: 5 });
    });
  } else {
    const pg = await startPglite({});
    databaseUrl = pg.url;
    stops.push(pg.stop);
  }

  await applyMigrations(databaseUrl);
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as {
    entries: unknown[];
  };

  const bridge = await startWsBridge({});
  stops.push(bridge.stop);

  project.provide('databaseUrl', databaseUrl);
  project.provide('neonProxy', bridge.proxy);
  project.provide('migrationCount', journal.entries.length);

  return async () => {
    for (const stop of stops.reverse()) await stop();
  };
}
