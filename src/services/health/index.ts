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

/** Database, KV, R2 and queue, checked in parallel (PRD §9.3). */
export async function checkHealth(ctx: HealthContext): Promise<HealthReport> {
  const { db, env } = ctx;
  const [database, cache, storage, queue] = await Promise.all([
    timed(() => db.execute(sql`select 1`)),
    timed(() => env.CACHE.get('health:probe')),
    timed(() => env.EXPORTS.head('health/probe')),
    // The consumer acknowledges and drops `health` messages.
    timed(() => env.SYNC_QUEUE.send({ kind: 'health', sentAt: new Date().toISOString() })),
  ]);
  const checks = { database, cache, storage, queue };
  const healthy = Object.values(checks).every((c) => c.status === 'ok');
  return {
    status: healthy ? 'healthy' : 'degraded',
    version: env.APP_VERSION,
    timestamp: new Date().toISOString(),
    checks,
  };
}
