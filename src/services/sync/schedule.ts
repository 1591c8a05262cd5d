import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/client';
import type { AppEnv } from '../../env';
import { enqueueSyncs } from './enqueue';
import type { NewJob, SyncType } from './jobs';

export const HOURLY = '0 * * * *';
export const DAILY = '0 2 * * *';
export const WEEKLY = '0 3 * * 1';

interface Plan {
  plans: string[];
  types: SyncType[];
  /** Instant range for the job, relative to now (re-reads late data). */
  rangeDays?: number;
}

/** What each cron enqueues, by plan (PRD §4.3). */
export function plansFor(cron: string): Plan[] {
  if (cron === HOURLY) return [{ plans: ['PRO', 'ENTERPRISE'], types: ['orders', 'inventory', 'pricing'] }];
  if (cron === DAILY) {
    return [
      { plans: ['STARTER'], types: ['orders', 'inventory', 'pricing', 'finance'] },
      { plans: ['PRO', 'ENTERPRISE'], types: ['finance', 'ads'] },
    ];
  }
  // Weekly: fees settle and ad attribution completes days later, so the last two weeks are re-read.
  if (cron === WEEKLY)
    return [{ plans: ['STARTER', 'PRO', 'ENTERPRISE'], types: ['finance', 'ads'], rangeDays: 14 }];
  return [];
}

/**
 * Cron only enqueues: one job per (tenant, type) for active tenants with an active connection,
 * skipping a type that already has a queued or running job (cron may fire twice).
 */
export async function enqueueScheduled(
  env: AppEnv,
  db: Database,
  cron: string,
  now = new Date(),
): Promise<number> {
  let total = 0;
  for (const plan of plansFor(cron)) {
    const rows = await queryRows<{ tenant_id: string; type: SyncType }>(
      db,
      sql`SELECT t.id AS tenant_id, x.type
          FROM tenants t
          CROSS JOIN unnest(${`{${plan.types.join(',')}}`}::text[]) AS x(type)
          JOIN amazon_credentials c ON c.tenant_id = t.id AND c.is_active
           AND c.type = CASE WHEN x.type = 'ads' THEN 'ADS' ELSE 'SPAPI' END
          WHERE t.status = 'active' AND t.plan = ANY(${`{${plan.plans.join(',')}}`}::text[])
            AND NOT EXISTS (SELECT 1 FROM sync_jobs j WHERE j.tenant_id = t.id AND j.type = x.type
                            AND j.status IN ('queued', 'processing') AND j.queued_at > now() - interval '1 day')`,
    );
    const range = plan.rangeDays
      ? { start: new Date(now.getTime() - plan.rangeDays * 86_400_000), end: now }
      : undefined;
    const jobs: NewJob[] = rows.map((r) => ({
      tenantId: r.tenant_id,
      type: r.type,
      trigger: 'schedule',
      priority: 'normal',
      ...(range && r.type !== 'orders' ? { range } : {}),
    }));
    // Queues' sendBatch takes at most 100 messages.
    for (let i = 0; i < jobs.length; i += 100)
      total += (await enqueueSyncs(env, db, jobs.slice(i, i + 100))).length;
  }
  return total;
}

/** Next time a scheduled sync runs for a plan (for /api/sync/status). */
export function nextScheduledSync(plan: string, now = new Date()): Date {
  const next = new Date(now);
  if (plan === 'PRO' || plan === 'ENTERPRISE') {
    next.setUTCMinutes(0, 0, 0);
    next.setUTCHours(next.getUTCHours() + 1);
    return next;
  }
  next.setUTCHours(2, 0, 0, 0);
  if (next <= now) next.setUTCDate(next.getUTCDate() + 1);
  return next;
}
