import { and, count, eq, gt, inArray, ne, notExists, sql } from 'drizzle-orm';
import { amazonCredentials, syncJobs, tenants } from '../../db/schema';
import type { TenantPlan } from '../../db/schema/tenants';
import type { SyncType } from '../../messages';
import type { ServiceContext } from '../context';
import { type NewJob, OPEN_STATUSES } from './engine/jobs';
import { enqueueSyncs } from './engine/queue';
import { credentialFor } from './syncers';

const HOURLY = '0 * * * *';
const DAILY = '0 2 * * *';
const WEEKLY = '0 3 * * 1';

interface Plan {
  plans: TenantPlan[];
  types: SyncType[];
  /** Instant range for the job, relative to now (re-reads late data). */
  rangeDays?: number;
}

/** What each cron enqueues, by plan (PRD §4.3). */
function plansFor(cron: string): Plan[] {
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

export interface ScheduleInput {
  cron: string;
  now?: Date;
  /** Only these tenants (a test's own); every tenant when absent. */
  tenantIds?: string[];
}

/** Active tenants on the plans with an active connection for the type and no live open job of it. */
async function dueTenants(
  ctx: Pick<ServiceContext, 'db'>,
  plans: TenantPlan[],
  type: SyncType,
  only?: string[],
) {
  const openJob = ctx.db
    .select({ one: sql`1` })
    .from(syncJobs)
    .where(
      and(
        eq(syncJobs.tenantId, tenants.id),
        eq(syncJobs.type, type),
        inArray(syncJobs.status, [...OPEN_STATUSES]),
        // A job whose lease ran out is dead, not running: it never holds the type back.
        gt(syncJobs.leaseExpiresAt, sql`now()`),
      ),
    );
  const rows = await ctx.db
    .select({ tenantId: tenants.id })
    .from(tenants)
    .innerJoin(
      amazonCredentials,
      and(
        eq(amazonCredentials.tenantId, tenants.id),
        eq(amazonCredentials.isActive, true),
        eq(amazonCredentials.type, credentialFor(type)),
      ),
    )
    .where(
      and(
        eq(tenants.status, 'active'),
        inArray(tenants.plan, plans),
        ...(only ? [inArray(tenants.id, only)] : []),
        notExists(openJob),
      ),
    );
  return rows.map((r) => r.tenantId);
}

export interface ScheduleResult {
  /** Jobs queued by this tick. */
  queued: number;
  /** Tenants skipped because they are not active (suspended): they are never synced. */
  inactiveTenants: number;
}

/** How many of the tick's tenants are not active (for the tick's log line). */
async function countInactive(ctx: Pick<ServiceContext, 'db'>, only?: string[]): Promise<number> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(tenants)
    .where(and(ne(tenants.status, 'active'), ...(only ? [inArray(tenants.id, only)] : [])));
  return row?.n ?? 0;
}

/**
 * Cron only enqueues: one job per (tenant, type) for active tenants with an active connection,
 * skipping a type that already has a queued or running job with a live lease (cron may fire twice).
 */
export async function enqueueScheduled(
  ctx: Pick<ServiceContext, 'db' | 'env'>,
  input: ScheduleInput,
): Promise<ScheduleResult> {
  const now = input.now ?? new Date();
  if (input.tenantIds?.length === 0) return { queued: 0, inactiveTenants: 0 };
  const jobs: NewJob[] = [];
  for (const plan of plansFor(input.cron)) {
    const range = plan.rangeDays
      ? { start: new Date(now.getTime() - plan.rangeDays * 86_400_000), end: now }
      : undefined;
    for (const type of plan.types) {
      for (const tenantId of await dueTenants(ctx, plan.plans, type, input.tenantIds)) {
        jobs.push({
          tenantId,
          type,
          trigger: 'schedule',
          priority: 'normal',
          ...(range && type !== 'orders' ? { range } : {}),
        });
      }
    }
  }
  const queued = (await enqueueSyncs(ctx, jobs)).length;
  return { queued, inactiveTenants: await countInactive(ctx, input.tenantIds) };
}

/** Next time a scheduled sync runs for a plan (for /api/sync/status). */
export function nextScheduledSync(plan: TenantPlan, now = new Date()): Date {
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
