import { and, count, desc, eq, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import { sellerQuota } from '../../../durable-objects/seller-quota';
import type { AmazonCredential, SyncJob } from '../../db/schema';
import { syncJobs } from '../../db/schema';
import { SYNC_TYPES } from '../../db/schema/sync';
import type { SyncType } from '../../messages';
import { loadCredential } from '../amazon-account/credentials';
import type { TenantContext } from '../context';
import { FINAL_STATUSES, type FinalStatus, OPEN_STATUSES } from './engine/jobs';
import { nextScheduledSync } from './schedule';
import { SYNCERS } from './syncers';

type StatusContext = Pick<TenantContext, 'db' | 'env' | 'tenant'>;

function jobView(j: SyncJob) {
  return {
    id: j.id,
    type: j.type,
    trigger: j.trigger,
    priority: j.priority,
    status: j.status,
    progress: j.progress,
    recordsProcessed: j.recordsProcessed,
    errorCount: j.errorCount,
    errorMessage: j.errorMessage,
    attempts: j.attempts,
    range:
      j.rangeStart && j.rangeEnd
        ? { start: j.rangeStart.toISOString(), end: j.rangeEnd.toISOString() }
        : null,
    queuedAt: j.queuedAt.toISOString(),
    startedAt: j.startedAt?.toISOString() ?? null,
    finishedAt: j.finishedAt?.toISOString() ?? null,
    durationMs: j.durationMs,
  };
}

type Health = 'healthy' | 'degraded' | 'down';

function health(
  active: boolean | undefined,
  ops: { throttled: number; serverErrors: number; calls: number }[],
  lastFailed: boolean,
): Health {
  if (!active) return 'down';
  const calls = ops.reduce((s, o) => s + o.calls, 0);
  const bad = ops.reduce((s, o) => s + o.serverErrors, 0);
  if (lastFailed || (calls > 0 && bad / calls > 0.2)) return 'degraded';
  return 'healthy';
}

/** Whether the last finished job reading through this connection failed. */
async function lastFailed(ctx: StatusContext, credential: AmazonCredential | undefined): Promise<boolean> {
  if (!credential) return false;
  const types = SYNC_TYPES.filter((t) => SYNCERS[t].credential === credential.type);
  const [last] = await ctx.db
    .select({ status: syncJobs.status })
    .from(syncJobs)
    .where(
      and(
        eq(syncJobs.tenantId, ctx.tenant.id),
        inArray(syncJobs.type, types),
        inArray(syncJobs.status, [...FINAL_STATUSES]),
      ),
    )
    .orderBy(desc(syncJobs.finishedAt))
    .limit(1);
  return last?.status === 'failed';
}

/** GET /api/sync/status: open jobs, the last finished one, the next cron run, API health and quotas. */
export async function syncStatus(ctx: StatusContext) {
  const tenantId = ctx.tenant.id;
  const current = await ctx.db
    .select()
    .from(syncJobs)
    .where(and(eq(syncJobs.tenantId, tenantId), inArray(syncJobs.status, [...OPEN_STATUSES])))
    .orderBy(desc(syncJobs.queuedAt))
    .limit(50);
  const [last] = await ctx.db
    .select()
    .from(syncJobs)
    .where(and(eq(syncJobs.tenantId, tenantId), inArray(syncJobs.status, [...FINAL_STATUSES])))
    .orderBy(desc(syncJobs.finishedAt))
    .limit(1);
  const sp = await loadCredential(ctx.db, tenantId, 'SPAPI');
  const ads = await loadCredential(ctx.db, tenantId, 'ADS');
  const spOps = sp ? await sellerQuota(ctx.env, sp).operations() : [];
  const adsBuckets = ads ? await sellerQuota(ctx.env, ads).state() : [];
  return {
    currentJobs: current.map(jobView),
    lastSync: last
      ? {
          timestamp: (last.finishedAt ?? last.queuedAt).toISOString(),
          duration: last.durationMs ?? 0,
          recordsProcessed: last.recordsProcessed,
          errors: last.errorCount,
          type: last.type,
          status: last.status,
        }
      : null,
    nextScheduledSync: sp?.isActive ? nextScheduledSync(ctx.tenant.plan).toISOString() : null,
    apiHealth: {
      spapi: health(sp?.isActive, spOps, await lastFailed(ctx, sp)),
      ads: health(ads?.isActive, [], await lastFailed(ctx, ads)),
    },
    rateLimits: {
      spapi: { operations: spOps, throttledTotal: spOps.reduce((s, o) => s + o.throttled, 0) },
      ads: {
        buckets: adsBuckets.map((b) => ({
          bucket: b.bucket,
          tokens: Math.floor(b.tokens * 100) / 100,
          rate: b.rate,
          burst: b.burst,
        })),
      },
    },
  };
}

export interface HistoryQuery {
  startDate?: string;
  endDate?: string;
  type?: SyncType;
  status?: FinalStatus;
  page: number;
  limit: number;
}

/** GET /api/sync/history: finished jobs, newest first, with success rate, mean duration and records. */
export async function syncHistory(ctx: Pick<TenantContext, 'db' | 'tenant'>, q: HistoryQuery) {
  const where: SQL[] = [eq(syncJobs.tenantId, ctx.tenant.id)];
  if (q.startDate) where.push(gte(syncJobs.queuedAt, new Date(q.startDate)));
  if (q.endDate) where.push(lte(syncJobs.queuedAt, new Date(q.endDate)));
  if (q.type) where.push(eq(syncJobs.type, q.type));
  where.push(q.status ? eq(syncJobs.status, q.status) : inArray(syncJobs.status, [...FINAL_STATUSES]));
  const filter = and(...where);
  const [stats] = await ctx.db
    .select({
      total: count(),
      succeeded: sql<number>`count(*) FILTER (WHERE ${syncJobs.status} = 'success')::int`,
      avgDuration: sql<string | null>`round(avg(${syncJobs.durationMs}))::text`,
      totalRecords: sql<string>`coalesce(sum(${syncJobs.recordsProcessed}), 0)::text`,
    })
    .from(syncJobs)
    .where(filter);
  const rows = await ctx.db
    .select()
    .from(syncJobs)
    .where(filter)
    .orderBy(desc(syncJobs.queuedAt), desc(syncJobs.id))
    .limit(q.limit)
    .offset((q.page - 1) * q.limit);
  const total = Number(stats?.total ?? 0);
  return {
    history: rows.map(jobView),
    pagination: { page: q.page, limit: q.limit, total, pages: Math.ceil(total / q.limit) },
    statistics: {
      successRate: total > 0 ? Math.round((Number(stats?.succeeded ?? 0) / total) * 10_000) / 100 : 0,
      avgDuration: stats?.avgDuration ? Number(stats.avgDuration) : 0,
      totalRecords: Number(stats?.totalRecords ?? 0),
    },
  };
}
