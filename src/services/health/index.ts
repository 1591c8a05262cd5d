import { sql } from 'drizzle-orm';
import type { ServiceContext } from '../context';

export type CheckStatus = 'ok' | 'error';

/** What the checks touch: the database and the KV, R2 and queue bindings, plus the version to report. */
export interface HealthContext extends Pick<ServiceContext, 'db'> {
  env: Pick<ServiceContext['env'], 'CACHE' | 'EXPORTS' | 'SYNC_QUEUE' | 'APP_VERSION'>;
}

export interface HealthReport {
  status: 'healthy' | 'degraded';
  version: string;
  timestamp: string;
  checks: Record<
    'database' | 'cache' | 'storage' | 'queue',
    { status: CheckStatus; latencyMs: number; error?: string }
  >;
}

const CHECK_TIMEOUT_MS = 3000;

async function timed(run: () => Promise<unknown>) {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'ok' as const, latencyMs: Date.now() - started };
  } catch (err) {
    // Only the error class and a short reason: driver messages can contain hostnames.
    const reason = err instanceof Error ? err.message.slice(0, 120) : 'failed';
    return { status: 'error' as const, latencyMs: Date.now() - started, error: reason };
  } finally {
    clearTimeout(timer);
  }
}

type Check = HealthReport['checks']['queue'];

/** How long one result answers every health request of an isolate. */
export const HEALTH_CACHE_MS = 15_000;
/** The queue probe sends a message, so it runs at most this often per isolate. */
export const QUEUE_PROBE_INTERVAL_MS = 60_000;

// Per isolate, keyed by the bindings object (the runtime reuses it): a flood of health requests
// costs one round of checks per HEALTH_CACHE_MS. Only settled, plain results are kept: a promise
// tied to another request's I/O must not be awaited by this one.
const reports = new WeakMap<object, { report: HealthReport; expiresAt: number }>();
const queueProbes = new WeakMap<object, { check: Check; at: number }>();

async function probeQueue(env: HealthContext['env'], now: number): Promise<Check> {
  const last = queueProbes.get(env);
  if (last && now - last.at < QUEUE_PROBE_INTERVAL_MS) return last.check;
  // The consumer acknowledges and drops `health` messages.
  const check = await timed(() => env.SYNC_QUEUE.send({ kind: 'health', sentAt: new Date().toISOString() }));
  queueProbes.set(env, { check, at: now });
  return check;
}

async function runChecks(ctx: HealthContext, now: number): Promise<HealthReport> {
  const { db, env } = ctx;
  const [database, cache, storage, queue] = await Promise.all([
    timed(() => db.execute(sql`select 1`)),
    timed(() => env.CACHE.get('health:probe')),
    timed(() => env.EXPORTS.head('health/probe')),
    probeQueue(env, now),
  ]);
  const checks = { database, cache, storage, queue };
  const healthy = Object.values(checks).every((c) => c.status === 'ok');
  return {
    status: healthy ? 'healthy' : 'degraded',
    version: env.APP_VERSION,
    timestamp: new Date(now).toISOString(),
    checks,
  };
}

/**
 * Database, KV, R2 and queue, checked in parallel (PRD §9.3). The result is reused for
 * HEALTH_CACHE_MS and the queue probed at most every QUEUE_PROBE_INTERVAL_MS; `timestamp` says
 * when the checks ran.
 */
export async function checkHealth(ctx: HealthContext): Promise<HealthReport> {
  const now = Date.now();
  const cached = reports.get(ctx.env);
  if (cached && now < cached.expiresAt) return cached.report;
  const report = await runChecks(ctx, now);
  reports.set(ctx.env, { report, expiresAt: now + HEALTH_CACHE_MS });
  return report;
}
