// `npm run dev`: the one command a newcomer runs. Starts an embedded Postgres (unless DATABASE_URL is
// set), applies migrations, starts the Amazon sandbox and the API Worker, and seeds a demo account.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { applyMigrations } from './lib/migrate.mjs';
import { startPglite } from './lib/pglite-server.mjs';
import { seedDemo } from './lib/seed-demo.mjs';

const PORT = Number(process.env.PORT ?? 8787);
const SANDBOX_PORT = Number(process.env.SANDBOX_PORT ?? 8788);
const children = [];
const stops = [];
let stopping = false;

// wrangler dev tries to fetch Request.cf from the internet; offline that warning is harmless.
const OFFLINE_NOISE = /Request\.cf|workers\.cloudflare\.com|GetAddrInfoReqWrap/;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function ensureDevVars() {
  if (existsSync('.dev.vars')) return;
  copyFileSync('.dev.vars.example', '.dev.vars');
  const text = readFileSync('.dev.vars', 'utf8')
    .replace(/^JWT_SECRET=.*$/m, `JWT_SECRET=${randomBytes(32).toString('hex')}`)
    .replace(/^TOKEN_ENCRYPTION_KEYS=.*$/m, `TOKEN_ENCRYPTION_KEYS=1:${randomBytes(32).toString('base64')}`)
    .replace(/^NOTIFICATIONS_API_KEY=.*$/m, `NOTIFICATIONS_API_KEY=${randomBytes(24).toString('hex')}`);
  writeFileSync('.dev.vars', text);
  console.log('created .dev.vars with fresh random secrets');
}

function run(name, args, env = {}) {
  const child = spawn(
    process.execPath,
    [new URL('../node_modules/wrangler/bin/wrangler.js', import.meta.url).pathname, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env, FORCE_COLOR: '0' },
      // Own process group, so shutdown reaches wrangler's workerd and esbuild children too.
      detached: true,
    },
  );
  const prefix = (line) => `[${name}] ${line}`;
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      for (const line of chunk.split('\n'))
        if (line.trim() && !OFFLINE_NOISE.test(line)) console.log(prefix(line));
    });
  }
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(prefix(`exited with code ${code}`));
      shutdown(1);
    }
  });
  children.push(child);
  return child;
}

async function waitFor(url, label, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status < 500 || res.status === 503) return res;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${label} did not start within ${timeoutMs / 1000}s`);
}

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  const signalGroup = (child, signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  for (const child of children) signalGroup(child, 'SIGINT');
  const exited = Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)),
  );
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise((r) => setTimeout(() => r(true), 5000)),
  ]);
  if (timedOut) for (const child of children) signalGroup(child, 'SIGKILL');
  for (const stop of stops.reverse()) await stop().catch(() => {});
  process.exit(code);
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

ensureDevVars();

let databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  mkdirSync('.data', { recursive: true });
  const pg = await startPglite({ dataDir: '.data/pglite', port: Number(process.env.PGLITE_PORT ?? 0) });
  stops.push(pg.stop);
  databaseUrl = pg.url;
  console.log(`embedded Postgres (PGlite) on ${pg.url.replace(/\/\/[^@]*@/, '//')} (data in .data/pglite)`);
} else {
  console.log('using DATABASE_URL');
}
await applyMigrations(databaseUrl);
console.log('migrations applied');

// Each wrangler dev needs its own inspector port, or the second one fails with "Address already in use".
run('sandbox', [
  'dev',
  '-c',
  'workers/amazon-sandbox/wrangler.toml',
  '--port',
  String(SANDBOX_PORT),
  '--ip',
  '127.0.0.1',
  '--inspector-port',
  String(await freePort()),
]);
run(
  'api',
  [
    'dev',
    '--port',
    String(PORT),
    '--ip',
    '127.0.0.1',
    '--inspector-port',
    String(await freePort()),
    '--var',
    `SPAPI_BASE_URL:http://127.0.0.1:${SANDBOX_PORT}`,
    '--var',
    `LWA_BASE_URL:http://127.0.0.1:${SANDBOX_PORT}`,
    '--var',
    `ADS_BASE_URL:http://127.0.0.1:${SANDBOX_PORT}`,
    '--var',
    `SELLER_CENTRAL_URL:http://127.0.0.1:${SANDBOX_PORT}`,
  ],
  {
    CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: databaseUrl,
  },
);

const apiBase = `http://127.0.0.1:${PORT}`;
await waitFor(`http://127.0.0.1:${SANDBOX_PORT}/_sandbox/presets`, 'Amazon sandbox');
await waitFor(`${apiBase}/api/health`, 'API Worker');
try {
  const notificationsKey = /^NOTIFICATIONS_API_KEY=(.*)$/m
    .exec(readFileSync('.dev.vars', 'utf8'))?.[1]
    ?.trim();
  console.log('connecting the demo tenant to the sandbox demo seller and syncing (about a minute)…');
  const demo = await seedDemo({ apiBase, sandboxBase: `http://127.0.0.1:${SANDBOX_PORT}`, notificationsKey });
  console.log('\n────────────────────────────────────────────────────────');
  console.log(` API          ${apiBase}   (docs: ${apiBase}/api/docs)`);
  console.log(` Amazon       http://127.0.0.1:${SANDBOX_PORT}   (local sandbox)`);
  console.log(` Demo login   ${demo.email} / ${demo.password}`);
  if (demo.note) console.log(` ${demo.note}`);
  console.log(' Ctrl-C stops everything.');
  console.log('────────────────────────────────────────────────────────\n');
} catch (err) {
  console.error(`demo seed failed: ${err instanceof Error ? err.message : err}`);
}
