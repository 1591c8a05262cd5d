import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { unstable_dev } from 'wrangler';
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

  // The Amazon sandbox Worker on a free loopback port; reports finish at once so tests never wait.
  // Its Durable Object state lives in a throwaway folder, never shared with `npm run dev`.
  const sandboxState = mkdtempSync(join(tmpdir(), 'sellerpulse-sandbox-'));
  // No network here: wrangler must not try to send usage metrics.
  process.env.WRANGLER_SEND_METRICS ??= 'false';
  const sandbox = await unstable_dev(
    fileURLToPath(new URL('../../workers/amazon-sandbox/src/index.ts', import.meta.url)),
    {
      config: fileURLToPath(new URL('../../workers/amazon-sandbox/wrangler.toml', import.meta.url)),
      ip: '127.0.0.1',
      port: 0,
      local: true,
      logLevel: 'error',
      persistTo: sandboxState,
      vars: { REPORT_QUEUE_SECONDS: '0', REPORT_PROCESSING_SECONDS: '0', ADS_REPORT_SECONDS: '0' },
      experimental: { disableExperimentalWarning: true },
    },
  );
  stops.push(async () => {
    await sandbox.stop();
    rmSync(sandboxState, { recursive: true, force: true });
  });
  project.provide('sandboxUrl', `http://${sandbox.address}:${sandbox.port}`);

  project.provide('databaseUrl', databaseUrl);
  project.provide('neonProxy', bridge.proxy);
  project.provide('migrationCount', journal.entries.length);

  return async () => {
    for (const stop of stops.reverse()) await stop();
  };
}
