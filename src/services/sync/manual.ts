import { and, count, eq } from 'drizzle-orm';
import { sellerQuota } from '../../../durable-objects/seller-quota';
import { SP_OPERATIONS, type SpOperation } from '../../amazon/operations';
import type { OperationState } from '../../amazon/quota';
import { products } from '../../db/schema';
import { ConflictError } from '../../lib/errors';
import type { SyncPriority, SyncType } from '../../messages';
import { loadCredential } from '../amazon-account/credentials';
import type { TenantContext } from '../context';
import type { NewJob } from './engine/jobs';
import { enqueueSyncs } from './engine/queue';
import { credentialFor } from './syncers';

export interface ManualInput {
  types: SyncType[];
  priority?: SyncPriority;
  dateRange?: { startDate: string; endDate: string };
}

/** Calls of each operation a sync needs. */
type Calls = [SpOperation, number][];

/** Calls each sync type needs at least (reports: create + a few polls + document). */
function callsFor(type: SyncType, ranged: boolean, marketplaces: number, listings: number): Calls {
  switch (type) {
    case 'orders':
      return ranged
        ? [
            ['createReport', 1],
            ['getReport', 4],
            ['getReportDocument', 1],
          ]
        : [['searchOrders', 1]];
    case 'inventory':
      return [
        ['createReport', marketplaces],
        ['getReport', 4 * marketplaces],
        ['getReportDocument', marketplaces],
        ['getInventorySummaries', marketplaces],
      ];
    case 'pricing':
      return listings <= 1 ? [['getItemOffers', 1]] : [['getItemOffersBatch', Math.ceil(listings / 20)]];
    case 'finance':
      return [
        ['listFinancialEvents', 2],
        ['listTransactions', 1],
        ['getReports', 1],
      ];
    case 'ads':
      return [];
  }
}

/**
 * Seconds until the quota lets the calls through: for each operation, the calls beyond the tokens
 * in the bucket now arrive at the operation's rate. Report processing and Ads reports add a floor.
 */
function estimateSeconds(needs: Calls[], state: OperationState[], extraSeconds: number): number {
  const total = new Map<SpOperation, number>();
  for (const [op, calls] of needs.flat()) total.set(op, (total.get(op) ?? 0) + calls);
  let wait = 0;
  for (const [op, calls] of total) {
    const s = state.find((x) => x.operation === op);
    const rate = s?.rate ?? SP_OPERATIONS[op].rate;
    const tokens = s ? s.tokens : SP_OPERATIONS[op].burst;
    wait = Math.max(wait, Math.max(0, calls - Math.floor(tokens)) / rate);
  }
  return Math.ceil(wait + extraSeconds);
}

/** The connections the types read through, refused when one is missing or switched off. */
async function activeConnections(ctx: Pick<TenantContext, 'db' | 'tenant'>, types: SyncType[]) {
  const needs = new Set(types.map(credentialFor));
  const sp = needs.has('SPAPI') ? await loadCredential(ctx.db, ctx.tenant.id, 'SPAPI') : undefined;
  const ads = needs.has('ADS') ? await loadCredential(ctx.db, ctx.tenant.id, 'ADS') : undefined;
  if (needs.has('SPAPI') && !sp?.isActive)
    throw new ConflictError('Amazon Seller Central is not connected (or its authorisation was revoked)');
  if (needs.has('ADS') && !ads?.isActive) throw new ConflictError('Amazon Advertising is not connected');
  return { sp };
}

/** POST /api/sync/manual: one job per type, and how long the seller's quota makes them take. */
export async function manualSync(ctx: Pick<TenantContext, 'db' | 'env' | 'tenant'>, input: ManualInput) {
  const types = [...new Set(input.types)];
  const { sp } = await activeConnections(ctx, types);
  const range = input.dateRange
    ? { start: new Date(input.dateRange.startDate), end: new Date(input.dateRange.endDate) }
    : undefined;
  const priority = input.priority ?? 'high';
  const jobs: NewJob[] = types.map((type) => ({
    tenantId: ctx.tenant.id,
    type,
    trigger: 'manual',
    priority,
    ...(range ? { range } : {}),
  }));
  const [listings] = await ctx.db
    .select({ n: count() })
    .from(products)
    .where(and(eq(products.tenantId, ctx.tenant.id), eq(products.isActive, true)));
  const state = sp ? await sellerQuota(ctx.env, sp).operations() : [];
  const marketplaces = sp?.marketplaceIds.length ?? 1;
  const estimatedTime = estimateSeconds(
    types.map((t) => callsFor(t, !!range, marketplaces, listings?.n ?? 0)),
    state,
    (types.includes('ads') ? 60 : 0) + (range || types.includes('inventory') ? 30 : 5),
  );
  const rows = await enqueueSyncs(ctx, jobs);
  return {
    jobId: rows[0]!.id,
    status: 'queued' as const,
    estimatedTime,
    jobs: rows.map((r) => ({ jobId: r.id, type: r.type })),
  };
}
