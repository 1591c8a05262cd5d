// `npm run bench:sync`: full orders backfill of a 100,000-order sandbox seller into Postgres, through
// the real path (connect endpoint, SYNC_QUEUE consumer, per-seller SellerQuota, flat-file report,
// batched upserts). Prints rows/s next to a raw COPY of the same rows into the same database, the
// wall time next to the lower bound Amazon's quotas impose, and the number of 429s.
// Postgres: BENCH_DATABASE_URL, or a throwaway Postgres 15 cluster (needs /usr/lib/postgresql/15).
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { unstable_dev } from 'wrangler';
import { applyMigrations } from '../../scripts/lib/migrate.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SELLER = process.env.BENCH_SELLER ?? 'ASBXLARGEBENCH01';
// large preset: 730 days x 150 orders/day across four marketplaces, about 100,000 orders.
const SIZE = { products: 200, days: 730, ordersPerDay: 137 };
const stops = [];
const log = (...a) => console.log('[bench]', ...a);

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function startPostgres() {
  if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
  const bin = '/usr/lib/postgresql/15/bin';
  const dir = mkdtempSync(join(tmpdir(), 'bench-pg-'));
  const port = await freePort();
  const asPg = (cmd) => execFileSync('su', ['postgres', '-c', cmd], { stdio: 'ignore' });
  chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), 0);
  asPg(`${bin}/initdb -D ${dir}/data -A trust -U postgres --no-sync`);
  asPg(
    `${bin}/pg_ctl -D ${dir}/data -l ${dir}/log -w -o "-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c max_connections=100 -c shared_buffers=512MB" start`,
  );
  stops.push(async () => {
    try {
      asPg(`${bin}/pg_ctl -D ${dir}/data -m immediate stop`);
    } catch {}
    rmSync(dir, { recursive: true, force: true });
  });
  return `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}

const SECRETS = {
  JWT_SECRET: 'bench-jwt-secret-0123456789abcdef0123456789abcdef',
  TOKEN_ENCRYPTION_KEYS: '1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
  LWA_CLIENT_ID: 'amzn1.application-oa2-client.sandbox',
  LWA_CLIENT_SECRET: 'sandbox-secret',
  ADS_CLIENT_ID: 'amzn1.application-oa2-client.sandbox',
  ADS_CLIENT_SECRET: 'sandbox-secret',
  NOTIFICATIONS_API_KEY: 'bench-notifications-key-0123456789',
};

async function main() {
  const databaseUrl = await startPostgres();
  // Local Durable Object, queue and KV state in a throwaway folder, shared with nothing else.
  const state = mkdtempSync(join(tmpdir(), 'bench-state-'));
  stops.push(async () => rmSync(state, { recursive: true, force: true }));
  await applyMigrations(databaseUrl);
  const sql = postgres(databaseUrl, { max: 4, onnotice: () => {} });
  stops.push(() => sql.end({ timeout: 5 }));

  const sandbox = await unstable_dev(join(root, 'workers/amazon-sandbox/src/index.ts'), {
    config: join(root, 'workers/amazon-sandbox/wrangler.toml'),
    ip: '127.0.0.1',
    port: await freePort(),
    local: true,
    logLevel: 'error',
    persistTo: join(state, 'sandbox'),
    vars: { REPORT_QUEUE_SECONDS: '0', REPORT_PROCESSING_SECONDS: '0', ADS_REPORT_SECONDS: '0' },
    experimental: { disableExperimentalWarning: true },
  });
  stops.push(() => sandbox.stop());
  const sandboxUrl = `http://${sandbox.address}:${sandbox.port}`;

  process.env.CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE = databaseUrl;
  const apiWorker = await unstable_dev(join(root, 'src/index.ts'), {
    config: join(root, 'wrangler.toml'),
    ip: '127.0.0.1',
    port: await freePort(),
    local: true,
    logLevel: 'error',
    persistTo: join(state, 'api'),
    vars: {
      ...SECRETS,
      LOG_LEVEL: 'warn',
      SPAPI_BASE_URL: sandboxUrl,
      LWA_BASE_URL: sandboxUrl,
      ADS_BASE_URL: sandboxUrl,
      SELLER_CENTRAL_URL: sandboxUrl,
      REPORT_POLL_FIRST_MS: '200',
    },
    experimental: { disableExperimentalWarning: true },
  });
  stops.push(() => apiWorker.stop());
  const apiUrl = `http://${apiWorker.address}:${apiWorker.port}`;

  const control = (path, body, method = body === undefined ? 'GET' : 'POST') =>
    fetch(`${sandboxUrl}/_sandbox${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    }).then((r) => r.json());
  await control(`/sellers/${SELLER}/size`, SIZE, 'PUT');
  const summary = await control(`/sellers/${SELLER}/summary`);
  log(
    `sandbox seller ${SELLER}: ${summary.orders} orders over ${SIZE.days} days in ${Object.keys(summary.byMarketplace).length} marketplaces`,
  );

  const post = (path, body, token) =>
    fetch(`${apiUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, json: await r.json() }));
  const user = {
    email: `bench-${Date.now()}@sellerpulse.dev`,
    password: 'Bench!Seller2026',
    fullName: 'Bench',
    companyName: 'Bench Co',
  };
  await post('/api/auth/register', user);
  const login = await post('/api/auth/login', { email: user.email, password: user.password });
  const token = login.json.tokens?.accessToken;
  if (!token) throw new Error(`login failed: ${JSON.stringify(login.json)}`);

  const redirect = 'https://bench.sellerpulse.dev/cb';
  // The consent URL (and its state, which connect checks) comes from our API, as for a real client.
  const consentUrl = await fetch(
    `${apiUrl}/api/auth/connect-amazon/consent-url?redirectUri=${encodeURIComponent(redirect)}`,
    { headers: { authorization: `Bearer ${token}` } },
  ).then((r) => r.json());
  const url = new URL(consentUrl.url);
  url.searchParams.set('selling_partner_id', SELLER);
  const consent = await fetch(`${sandboxUrl}${url.pathname}${url.search}`, { redirect: 'manual' });
  const back = new URL(consent.headers.get('location')).searchParams;
  const connected = await post(
    '/api/auth/connect-amazon',
    {
      authorizationCode: back.get('spapi_oauth_code'),
      redirectUri: redirect,
      region: 'na',
      marketplaceIds: [],
      sellingPartnerId: back.get('selling_partner_id'),
      state: back.get('state'),
    },
    token,
  );
  if (connected.status !== 200) throw new Error(`connect failed: ${JSON.stringify(connected.json)}`);
  const tenantId = (
    await sql`SELECT tenant_id FROM amazon_credentials WHERE selling_partner_id = ${SELLER} ORDER BY created_at DESC LIMIT 1`
  )[0].tenant_id;
  // Only a full-history orders backfill is measured: the connection's own (90-day) jobs are cancelled.
  await sql`UPDATE sync_jobs SET status = 'failed', error_message = 'not part of the benchmark' WHERE tenant_id = ${tenantId} AND status = 'queued'`;
  const now = Date.now();
  const queuedAt = Date.now();
  const manual = await post(
    '/api/sync/manual',
    {
      types: ['orders'],
      priority: 'low',
      dateRange: {
        startDate: new Date(now - (SIZE.days + 1) * 86_400_000).toISOString(),
        endDate: new Date(now).toISOString(),
      },
    },
    token,
  );
  if (manual.status !== 202) throw new Error(`manual sync failed: ${JSON.stringify(manual.json)}`);
  const ordersJob = manual.json.jobId;
  log(
    `connected; full backfill queued as ${ordersJob} (estimated ${manual.json.estimatedTime} s from the quota)`,
  );

  const started = Date.now();
  let job;
  for (;;) {
    [job] =
      await sql`SELECT status, progress, records_processed, error_message, started_at, finished_at, duration_ms FROM sync_jobs WHERE id = ${ordersJob}`;
    if (['success', 'partial', 'failed'].includes(job.status)) break;
    if (Date.now() - started > 30 * 60_000) throw new Error('backfill did not finish in 30 minutes');
    await new Promise((r) => setTimeout(r, 200));
  }
  const wallMs = Date.now() - queuedAt;
  if (job.status !== 'success') throw new Error(`backfill ${job.status}: ${job.error_message}`);
  const [{ orders, items }] =
    await sql`SELECT (SELECT count(*)::int FROM orders WHERE tenant_id = ${tenantId}) AS orders, (SELECT count(*)::int FROM order_items WHERE tenant_id = ${tenantId}) AS items`;
  const syncMs = job.duration_ms;
  const rows = orders + items;

  // Raw COPY of exactly the same rows into empty copies of the two tables, in the same database.
  await sql`CREATE TEMP TABLE IF NOT EXISTS copy_orders (LIKE orders INCLUDING DEFAULTS)`;
  await sql`CREATE TEMP TABLE IF NOT EXISTS copy_items (LIKE order_items INCLUDING DEFAULTS)`;
  const dump = async (table) => {
    const chunks = [];
    // COPY takes no bind parameters; the tenant id is a uuid read from our own table.
    const readable = await sql
      .unsafe(`COPY (SELECT * FROM ${table} WHERE tenant_id = '${tenantId}') TO STDOUT`)
      .readable();
    for await (const c of readable) chunks.push(c);
    return Buffer.concat(chunks);
  };
  const ordersData = await dump('orders');
  const itemsData = await dump('order_items');
  const copyStart = process.hrtime.bigint();
  await sql.begin(async (tx) => {
    for (const [table, data] of [
      ['copy_orders', ordersData],
      ['copy_items', itemsData],
    ]) {
      const writable = await tx`COPY ${tx(table)} FROM STDIN`.writable();
      await new Promise((resolve, reject) => {
        writable.on('error', reject);
        writable.end(data, resolve);
      });
    }
  });
  const copyMs = Number(process.hrtime.bigint() - copyStart) / 1e6;

  const counters = await control(`/sellers/${SELLER}/counters`);
  const pages = Math.ceil(orders / 100);
  // searchOrders: burst 20, then one call per 1/0.0056 s.
  const searchOrdersBound = Math.max(0, pages - 20) / 0.0056;
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  console.log('\n=== bench:sync — full orders backfill ===');
  console.log(
    `orders                       ${fmt(orders)} (+ ${fmt(items)} order lines = ${fmt(rows)} rows)`,
  );
  console.log(
    `sync (report → Postgres)     ${(syncMs / 1000).toFixed(1)} s   ${fmt(rows / (syncMs / 1000))} rows/s`,
  );
  console.log(
    `raw COPY, same rows, same db ${(copyMs / 1000).toFixed(2)} s   ${fmt(rows / (copyMs / 1000))} rows/s   (sync is ${(syncMs / copyMs).toFixed(1)}x COPY)`,
  );
  console.log(
    `wall time                    ${(wallMs / 1000).toFixed(1)} s from POST /api/sync/manual to the job's end (queue delivery included)`,
  );
  console.log(
    `quota lower bound (report)   0 s: 1 createReport + 1 getReportDocument fit in their bursts (15 each); report processing time not included`,
  );
  console.log(
    `quota lower bound (API path) ${(searchOrdersBound / 3600).toFixed(1)} h: ${fmt(pages)} searchOrders pages at 0.0056/s after a burst of 20`,
  );
  console.log(
    `SP-API calls                 ${fmt(counters['requests.total'] ?? 0)} (createReport ${counters['requests.createReport'] ?? 0}, getReport ${counters['requests.getReport'] ?? 0}, getReportDocument ${counters['requests.getReportDocument'] ?? 0})`,
  );
  console.log(`429 responses                ${counters['responses.429'] ?? 0}`);
}

try {
  await main();
} catch (err) {
  console.error('[bench] failed:', err);
  process.exitCode = 1;
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => {});
}
