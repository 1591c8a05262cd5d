// `npm run bench:api`: seeds a large tenant plus 50 small ones, runs the rollups, starts the Worker
// with `wrangler dev` on loopback and measures the seller views next to trivial endpoints.
//
//   BENCH_DATABASE_URL=postgres://… npm run bench:api      full scale (1,000,000 orders) on a real Postgres
//   npm run bench:api                                       embedded PGlite, scaled down (see --scale)
//   options: --scale=0.05  --concurrency=8  --seconds=10  --requests=400
//            --keep (leave the database)  --reuse=<database name on BENCH_DATABASE_URL's server> (skip seeding)
//            --rollups (with --reuse: refresh the main tenant's rollups first)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { register } from 'tsx/esm/api';
import { applyMigrations } from '../../scripts/lib/migrate.mjs';
import { startPglite } from '../../scripts/lib/pglite-server.mjs';
import { measure } from './load.mjs';
import { createTenant, seedAds, seedInventoryAndPricing, seedOrders, seedProducts } from './seed.mjs';

register();
const { refreshSalesRollups } = await import('../../src/services/rollups/index.ts');
const schema = await import('../../src/db/schema/index.ts');
const { signAccessToken } = await import('../../src/lib/jwt.ts');

const arg = (name, fallback) => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
};
const external = process.env.BENCH_DATABASE_URL;
const scale = Number(arg('scale', external ? '1' : '0.05'));
// PGlite's connection multiplexer mixes up concurrent clients' statements: one client at a time there.
const concurrency = Number(arg('concurrency', external ? '8' : '1'));
const seconds = Number(arg('seconds', '10'));
const requests = Number(arg('requests', '400'));
const SIZES = {
  orders: Math.round(1_000_000 * scale),
  products: Math.max(100, Math.round(10_000 * scale)),
  campaigns: Math.max(5, Math.round(200 * scale)),
  smallTenants: 50,
  smallOrders: Math.max(100, Math.round(2_000 * scale)),
};
const DAYS = 730;
const keep = process.argv.includes('--keep');
const reuse = arg('reuse', '');

const log = (...a) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);
const stops = [];
let workerLog = () => '';
const stopAll = async () => {
  for (const s of stops.reverse()) await s().catch(() => {});
};

async function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function database() {
  if (external) {
    // A fresh database on the given server, dropped at the end.
    const admin = postgres(external, { max: 1, onnotice: () => {} });
    const name = reuse || `sellerpulse_bench_${Date.now()}`;
    if (!reuse) await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(external);
    url.pathname = `/${name}`;
    if (!url.password) url.password = 'postgres';
    stops.push(async () => {
      if (keep || reuse) log(`kept database ${name}`);
      else await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end({ timeout: 5 });
    });
    return { url: url.toString(), kind: 'Postgres (BENCH_DATABASE_URL)' };
  }
  const pg = await startPglite({});
  stops.push(pg.stop);
  return { url: pg.url, kind: 'PGlite (embedded)' };
}

async function seed(url) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const t0 = performance.now();
  const main = await createTenant(sql, { name: 'Bench main' });
  await seedProducts(sql, main.tenantId, SIZES.products);
  log(`products: ${SIZES.products}`);
  await seedOrders(sql, main.tenantId, {
    orders: SIZES.orders,
    products: SIZES.products,
    days: DAYS,
    prefix: 'M',
  });
  log(`orders: ${SIZES.orders} (+ items, fee and refund events)`);
  await seedInventoryAndPricing(sql, main.tenantId, SIZES.products);
  await seedAds(sql, main.tenantId, { campaigns: SIZES.campaigns, days: 365 });
  log(`ads: ${SIZES.campaigns} campaigns, 365 days`);
  const small = [];
  for (let i = 0; i < SIZES.smallTenants; i++) {
    const t = await createTenant(sql, {
      name: `Bench small ${i}`,
      timezone: i % 2 ? 'Europe/Berlin' : 'UTC',
    });
    await seedProducts(sql, t.tenantId, 100);
    await seedOrders(sql, t.tenantId, {
      orders: SIZES.smallOrders,
      products: 100,
      days: DAYS,
      prefix: `S${i}`,
    });
    small.push(t);
  }
  log(`${SIZES.smallTenants} small tenants with ${SIZES.smallOrders} orders each`);
  // Fresh tables without statistics get nested-loop plans that make the first refresh crawl.
  await sql.unsafe('ANALYZE');
  const db = drizzle(sql, { schema });
  const r0 = performance.now();
  const to = new Date();
  const from = new Date(to.getTime() - (DAYS + 1) * 86_400_000);
  for (const t of [main, ...small]) await refreshRollups(sql, db, t.tenantId, { from, to });
  const rollupSeconds = (performance.now() - r0) / 1000;
  log(`rollups refreshed in ${rollupSeconds.toFixed(1)} s`);
  await sql.unsafe('ANALYZE');
  await sql.end({ timeout: 5 });
  return { main, seedSeconds: (performance.now() - t0) / 1000, rollupSeconds };
}

/** The rollup refresh takes the tenant's id, time zone and currency, as a sync run has them. */
async function refreshRollups(sql, db, tenantId, range) {
  const [tenant] =
    await sql`SELECT id, timezone, trim(currency) AS currency FROM tenants WHERE id = ${tenantId}`;
  return refreshSalesRollups({ db, tenant }, range);
}

async function existing(url) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const [main] =
    await sql`SELECT t.id AS "tenantId", u.id AS "userId" FROM tenants t JOIN users u ON u.tenant_id = t.id WHERE t.name = 'Bench main'`;
  let rollupSeconds = 0;
  if (process.argv.includes('--rollups')) {
    const r0 = performance.now();
    const to = new Date();
    const from = new Date(to.getTime() - (DAYS + 1) * 86_400_000);
    await refreshRollups(sql, drizzle(sql, { schema }), main.tenantId, { from, to });
    rollupSeconds = (performance.now() - r0) / 1000;
    log(`rollups of the main tenant refreshed in ${rollupSeconds.toFixed(1)} s`);
  }
  await sql.unsafe('ANALYZE');
  await sql.end({ timeout: 5 });
  return { main, seedSeconds: 0, rollupSeconds };
}

async function startWorker(databaseUrl, env) {
  const port = await freePort();
  const persist = mkdtempSync(join(tmpdir(), 'bench-wrangler-'));
  const vars = Object.entries(env).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
  const child = spawn(
    process.execPath,
    [
      new URL('../../node_modules/wrangler/bin/wrangler.js', import.meta.url).pathname,
      'dev',
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--persist-to',
      persist,
      '--log-level',
      'error',
      ...vars,
    ],
    {
      cwd: new URL('../..', import.meta.url).pathname,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        FORCE_COLOR: '0',
        CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: databaseUrl,
      },
    },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  workerLog = () => stderr;
  stops.push(async () => {
    child.kill('SIGINT');
    await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r()));
    rmSync(persist, { recursive: true, force: true });
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/api/health`)).status < 500) return base;
    } catch {}
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`wrangler dev did not start:\n${stderr}`);
}

const fmtRow = (name, r, trivial) =>
  [
    name.padEnd(34),
    String(r.count).padStart(6),
    r.p50.toFixed(1).padStart(8),
    r.p95.toFixed(1).padStart(8),
    r.p99.toFixed(1).padStart(8),
    r.rps.toFixed(1).padStart(8),
    trivial ? `${(r.p50 / trivial.p50).toFixed(1)}x`.padStart(8) : ''.padStart(8),
    trivial ? `${(r.p95 / trivial.p95).toFixed(1)}x`.padStart(8) : ''.padStart(8),
    `  ${JSON.stringify(r.statuses)}${Object.keys(r.cache).length ? ` ${JSON.stringify(r.cache)}` : ''}`,
  ].join('');

try {
  const db = await database();
  log(
    `database: ${db.kind}; scale ${scale} → ${SIZES.orders} orders, ${SIZES.products} products, ${SIZES.campaigns} campaigns, ${SIZES.smallTenants} small tenants`,
  );
  await applyMigrations(db.url);
  const { main, seedSeconds, rollupSeconds } = reuse ? await existing(db.url) : await seed(db.url);
  log(`seeded in ${seedSeconds.toFixed(1)} s`);

  const env = {
    JWT_SECRET: randomBytes(32).toString('hex'),
    TOKEN_ENCRYPTION_KEYS: `1:${randomBytes(32).toString('base64')}`,
    LWA_CLIENT_ID: 'bench',
    LWA_CLIENT_SECRET: 'bench',
    ADS_CLIENT_ID: 'bench',
    ADS_CLIENT_SECRET: 'bench',
    NOTIFICATIONS_API_KEY: randomBytes(16).toString('hex'),
    JWT_ISSUER: 'sellerpulse',
    JWT_AUDIENCE: 'sellerpulse-api',
    // The per-user abuse limit (300 per 15 minutes) would turn the load into 429s.
    RATE_LIMIT_MULTIPLIER: '100000',
  };
  const base = await startWorker(db.url, env);
  log(`worker on ${base}`);
  const token = await signAccessToken(
    env,
    { userId: main.userId, tenantId: main.tenantId, role: 'owner' },
    3600,
  );
  const headers = { authorization: `Bearer ${token}` };

  const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const last30 = `startDate=${day(-29)}&endDate=${day(0)}`;
  // Distinct 30-day windows: every request misses the cache.
  const coldDashboards = Array.from(
    { length: 700 },
    (_, i) =>
      `/api/metrics/dashboard?startDate=${day(-29 - i - 1)}&endDate=${day(-i - 1)}&comparison=previous_period`,
  );
  const asins = Array.from(
    { length: 200 },
    (_, i) => `B0${String(1 + ((i * 7919) % SIZES.products)).padStart(8, '0')}`,
  );
  const scenarios = [
    ['trivial: GET /api/health', ['/api/health'], {}],
    ['trivial auth: GET /api/auth/me', ['/api/auth/me'], headers],
    ['dashboard 30d cold (cache miss)', coldDashboards, headers, 'no-warm'],
    ['dashboard 30d cached', [`/api/metrics/dashboard?${last30}&comparison=previous_period`], headers],
    ['realtime', ['/api/metrics/realtime'], headers],
    [
      'products filtered (low stock, buy box)',
      ['/api/products?stockLevel=low&sortBy=sales', '/api/products?buyBoxStatus=lost&marginMin=10'],
      headers,
    ],
    [
      'products sorted (margin, profit)',
      ['/api/products?sortBy=margin', '/api/products?sortBy=profit&sortOrder=asc&page=3'],
      headers,
    ],
    [
      'products searched',
      ['/api/products?search=steel', '/api/products?search=deluxe%20lamp', '/api/products?search=B000000042'],
      headers,
    ],
    ['product detail', asins.map((a) => `/api/products/${a}`), headers],
    ['orders 30d page 1', [`/api/orders?${last30}`, `/api/orders?${last30}&status=Shipped&page=2`], headers],
    ['P&L 30d vs previous period', [`/api/finance/pnl?${last30}&compareWith=previous_period`], headers],
    ['finance summary month', ['/api/finance/summary?period=month'], headers],
    ['ads campaigns 30d', [`/api/ads/campaigns?${last30}`], headers],
  ];
  // Warm the isolate and the cached views once.
  for (const [, paths, h, flag] of scenarios)
    if (flag !== 'no-warm') await fetch(`${base}${paths[0]}`, { headers: h });
  await new Promise((r) => setTimeout(r, 1500));

  const results = [];
  for (const [name, paths, h] of scenarios) {
    const r = await measure({ base, paths, headers: h, concurrency, requests, seconds });
    results.push([name, r]);
    log(`${name}: p50 ${r.p50.toFixed(1)} ms`);
  }
  const trivial = results.find(([n]) => n.startsWith('trivial auth'))[1];
  console.log(
    `\nSellerPulse API benchmark — ${db.kind}, scale ${scale}: ${SIZES.orders.toLocaleString()} orders over ${DAYS} days, ` +
      `${SIZES.products.toLocaleString()} products, ${SIZES.campaigns} campaigns (365 days), ${SIZES.smallTenants} small tenants; ` +
      `concurrency ${concurrency}, up to ${requests} requests or ${seconds} s per row; seed ${seedSeconds.toFixed(0)} s, rollups ${rollupSeconds.toFixed(0)} s`,
  );
  console.log(
    `${'endpoint'.padEnd(34)}${'n'.padStart(6)}${'p50 ms'.padStart(8)}${'p95 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'req/s'.padStart(8)}${'p50 ×'.padStart(8)}${'p95 ×'.padStart(8)}`,
  );
  for (const [name, r] of results) console.log(fmtRow(name, r, name.startsWith('trivial') ? null : trivial));
  console.log('(× = ratio to the authenticated trivial endpoint measured in the same run)');
  if (results.some(([, r]) => Object.keys(r.statuses).some((s) => s !== '200')))
    console.log(`\nworker log tail:\n${workerLog()}`);
} finally {
  await stopAll();
}
