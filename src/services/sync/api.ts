import { and, count, desc, eq, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import { sellerQuota as limiterFor } from '../../../durable-objects/seller-quota';
import { SP_OPERATIONS, type SpOperation } from '../../amazon/operations';
import type { OperationState } from '../../amazon/quota';
import { type Database, queryRows } from '../../db/client';
import { type SyncJob, syncJobs } from '../../db/schema';
import type { AppEnv } from '../../env';
import { ConflictError } from '../../lib/errors';
import { loadCredential } from '../amazon-account/credentials';
import { enqueueSyncs } from './enqueue';
import type { NewJob, SyncPriority, SyncType } from './jobs';
import { nextScheduledSync } from './schedule';

export interface ManualInput {
  types: SyncType[];
  priority?: SyncPriority;
  dateRange?: { startDate: string; endDate: string };
}

/** Calls each sync type needs at least (reports: create + a few polls + document). */
function callsFor(
  type: SyncType,
  ranged: boolean,
  marketplaces: number,
  listings: number,
): Partial<Record<SpOperation, number>> {
  switch (type) {
    case 'orders':
      return ranged ? { createReport: 1, getReport: 4, getReportDocument: 1 } : { searchOrders: 1 };
    case 'inventory':
      return {
        createReport: marketplaces,
        getReport: 4 * marketplaces,
        getReportDocument: marketplaces,
        getInventorySummaries: marketplaces,
      };
    case 'pricing':
      return listings <= 1 ? { getItemOffers: 1 } : { getItemOffersBatch: Math.ceil(listings / 20) };
    case 'finance':
      return { listFinancialEvents: 2, listTransactions: 1, getReports: 1 };
    case 'ads':
      return {};
  }
}

/**
 * Seconds until the quota lets the calls through: for each operation, the calls beyond the tokens
 * in the bucket now arrive at the operation's rate. Report processing and Ads reports add a floor.
 */
export function estimateSeconds(
  needs: Partial<Record<SpOperation, number>>[],
  state: OperationState[],
  extraSeconds: number,
): number {
  const total = new Map<SpOperation, number>();
  for (const n of needs)
    for (const [op, c] of Object.entries(n) as [SpOperation, number][])
      total.set(op, (total.get(op) ?? 0) + c);
  let wait = 0;
  for (const [op, calls] of total) {
    const s = state.find((x) => x.operation === op);
    const rate = s?.rate ?? SP_OPERATIONS[op].rate;
    const tokens = s ? s.tokens : SP_OPERATIONS[op].burst;
    wait = Math.max(wait, Math.max(0, calls - Math.floor(tokens)) / rate);
  }
  return Math.ceil(wait + extraSeconds);
}

export async function manualSync(deps: { env: AppEnv; db: Database; tenantId: string }, input: ManualInput) {
  const { env, db, tenantId } = deps;
  const types = [...new Set(input.types)];
  const sp = types.some((t) => t !== 'ads') ? await loadCredential(db, tenantId, 'SPAPI') : undefined;
  const ads = types.includes('ads') ? await loadCredential(db, tenantId, 'ADS') : undefined;
  if (types.some((t) => t !== 'ads') && !sp?.isActive)
    throw new ConflictError('Amazon Seller Central is not connected (or its authorisation was revoked)');
  if (types.includes('ads') && !ads?.isActive) throw new ConflictError('Amazon Advertising is not connected');
  const range = input.dateRange
    ? { start: new Date(input.dateRange.startDate), end: new Date(input.dateRange.endDate) }
    : undefined;
  const priority = input.priority ?? 'high';
  const jobs: NewJob[] = types.map((type) => ({
    tenantId,
    type,
    trigger: 'manual',
    priority,
    ...(range ? { range } : {}),
  }));
  const listings = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM products WHERE tenant_id = ${tenantId} AND is_active`,
  );
  const state = sp ? await limiterFor(env, sp).operations() : [];
  const marketplaces = sp?.marketplaceIds.length ?? 1;
  const estimatedTime = estimateSeconds(
    types.map((t) => callsFor(t, !!range, marketplaces, Number(listings[0]?.n ?? 0))),
    state,
    (types.includes('ads') ? 60 : 0) + (range || types.includes('inventory') ? 30 : 5),
  );
  const rows = await enqueueSyncs(env, db, jobs);
  return {
    jobId: rows[0]!.id,
    status: 'queued' as const,
    estimatedTime,
    jobs: rows.map((r) => ({ jobId: r.id, type: r.type })),
  };
}

export function jobView(j: SyncJob) {
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

export async function syncStatus(deps: { env: AppEnv; db: Database; tenantId: string; plan: string }) {
  const { env, db, tenantId } = deps;
  const current = await db
    .select()
    .from(syncJobs)
    .where(and(eq(syncJobs.tenantId, tenantId), inArray(syncJobs.status, ['queued', 'processing'])))
    .orderBy(desc(syncJobs.queuedAt))
    .limit(50);
  const [last] = await db
    .select()
    .from(syncJobs)
    .where(and(eq(syncJobs.tenantId, tenantId), inArray(syncJobs.status, ['success', 'partial', 'failed'])))
    .orderBy(desc(syncJobs.finishedAt))
    .limit(1);
  const lastOf = async (types: SyncType[]) =>
    (
      await db
        .select({ status: syncJobs.status })
        .from(syncJobs)
        .where(
          and(
            eq(syncJobs.tenantId, tenantId),
            inArray(syncJobs.type, types),
            inArray(syncJobs.status, ['success', 'partial', 'failed']),
          ),
        )
        .orderBy(desc(syncJobs.finishedAt))
        .limit(1)
    )[0]?.status === 'failed';
  const sp = await loadCredential(db, tenantId, 'SPAPI');
  const ads = await loadCredential(db, tenantId, 'ADS');
  const spOps = sp ? await limiterFor(env, sp).operations() : [];
  const adsBuckets = ads ? await limiterFor(env, ads).state() : [];
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
    nextScheduledSync: sp?.isActive ? nextScheduledSync(deps.plan).toISOString() : null,
    apiHealth: {
      spapi: health(
        sp?.isActive,
        spOps,
        sp ? await lastOf(['orders', 'inventory', 'pricing', 'finance']) : false,
      ),
      ads: health(ads?.isActive, [], ads ? await lastOf(['ads']) : false),
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
  status?: 'success' | 'failed' | 'partial';
  page: number;
  limit: number;
}

export async function syncHistory(deps: { db: Database; tenantId: string }, q: HistoryQuery) {
  const { db, tenantId } = deps;
  const where: SQL[] = [eq(syncJobs.tenantId, tenantId)];
  if (q.startDate) where.push(gte(syncJobs.queuedAt, new Date(q.startDate)));
  if (q.endDate) where.push(lte(syncJobs.queuedAt, new Date(q.endDate)));
  if (q.type) where.push(eq(syncJobs.type, q.type));
  if (q.status) where.push(eq(syncJobs.status, q.status));
  else where.push(inArray(syncJobs.status, ['success', 'partial', 'failed']));
  const filter = and(...where);
  const [stats] = await db
    .select({
      total: count(),
      succeeded: sql<number>`count(*) FILTER (WHERE ${syncJobs.status} = 'success')::int`,
      avgDuration: sql<string | null>`round(avg(${syncJobs.durationMs}))::text`,
      totalRecords: sql<string>`coalesce(sum(${syncJobs.recordsProcessed}), 0)::text`,
    })
    .from(syncJobs)
    .where(filter);
  const rows = await db
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
      successRate: total > 0 ? Math.round((Number(stats!.succeeded) / total) * 10_000) / 100 : 0,
      avgDuration: stats?.avgDuration ? Number(stats.avgDuration) : 0,
      totalRecords: Number(stats?.totalRecords ?? 0),
    },
  };
}
