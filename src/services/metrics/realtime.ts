import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { localDayWindow } from '../../db/local-days';
import { orderItems, orders, products, syncJobs } from '../../db/schema';
import { todayIn, toIso } from '../../lib/dates';
import { money } from '../../lib/money';
import { activeAlertCounts } from '../alerts/summary';
import type { TenantContext } from '../context';
import { productMetricsCte } from '../products/metrics-sql';

/** A job still queued or processing after this long is not counted as running (it was lost). */
const STALE_JOB_HOURS = 6;

type RealtimeContext = Pick<TenantContext, 'db' | 'tenant'>;

export interface RealtimeInput {
  currency?: string;
}

type SyncStatus = 'idle' | 'running' | 'error';

type TodaySalesRow = { orders: number; units: number | null; revenue: string | null };
type InventoryRow = { value: string | null; without_cost: number };
type SyncRow = { running: number; last_status: string | null; last_finished: Date | string | null };

/**
 * Today's numbers (tenant-local day) straight from today's orders, which the index on
 * (tenant, purchase_date) keeps small; inventory value at unit cost; stock bands as in the product list.
 */
export async function realtime(ctx: RealtimeContext, input: RealtimeInput) {
  const currency = input.currency ?? ctx.tenant.currency;
  const today = todayIn(ctx.tenant.timezone);
  const [[sales], [inventory], [low], alerts, [sync]] = await Promise.all([
    queryRows<TodaySalesRow>(ctx.db, todaySalesQuery(ctx, today, currency)),
    queryRows<InventoryRow>(
      ctx.db,
      sql`SELECT sum((${products.fbaStock} + ${products.fbmStock}) * ${products.cost})
                   FILTER (WHERE ${products.cost} IS NOT NULL)::text AS value,
                 count(*) FILTER (WHERE ${products.cost} IS NULL AND ${products.fbaStock} + ${products.fbmStock} > 0)::int
                   AS without_cost
          FROM ${products}
          WHERE ${products.tenantId} = ${ctx.tenant.id}
            AND coalesce(trim(${products.currency}), ${ctx.tenant.currency}) = ${currency}`,
    ),
    queryRows<{ n: number }>(
      ctx.db,
      sql`WITH ${productMetricsCte(ctx.tenant.id, today)}
          SELECT count(*)::int AS n FROM pm WHERE pm.is_active AND pm.stock_level IN ('critical', 'low')`,
    ),
    activeAlertCounts(ctx),
    queryRows<SyncRow>(ctx.db, syncStateQuery(ctx)),
  ]);
  const syncStatus: SyncStatus =
    sync && sync.running > 0 ? 'running' : sync?.last_status === 'failed' ? 'error' : 'idle';
  return {
    timestamp: new Date().toISOString(),
    date: today,
    timezone: ctx.tenant.timezone,
    currency,
    todaySales: money(sales?.revenue ?? '0', currency),
    todayOrders: sales?.orders ?? 0,
    todayUnits: sales?.units ?? 0,
    currentInventoryValue: money(inventory?.value ?? '0', currency),
    productsWithoutCost: inventory?.without_cost ?? 0,
    lowStockProducts: low?.n ?? 0,
    activeAlerts: alerts.total,
    syncStatus,
    lastSyncAt: toIso(sync?.last_finished),
  };
}

/** Orders placed today (not cancelled) in the currency, and their lines' units and revenue. */
function todaySalesQuery(ctx: RealtimeContext, today: string, currency: string) {
  const tz = ctx.tenant.timezone;
  return sql`
    WITH o AS (
      SELECT ${orders.amazonOrderId} AS order_id FROM ${orders}
      WHERE ${orders.tenantId} = ${ctx.tenant.id} AND ${orders.orderStatus} <> 'Canceled'
        AND ${localDayWindow(sql`${orders.purchaseDate}`, tz, today, today)}
        AND coalesce(trim(${orders.currency}), ${ctx.tenant.currency}) = ${currency}
    )
    SELECT (SELECT count(*) FROM o)::int AS orders, sum(${orderItems.quantity})::int AS units,
           sum(coalesce(${orderItems.itemPrice}, 0) - coalesce(${orderItems.promotionDiscount}, 0))::text AS revenue
    FROM ${orderItems}
    WHERE ${orderItems.tenantId} = ${ctx.tenant.id} AND ${orderItems.amazonOrderId} IN (SELECT order_id FROM o)`;
}

/** Jobs running now (not stale), and the status and end of the last finished job. */
function syncStateQuery(ctx: RealtimeContext) {
  const job = syncJobs;
  return sql`
    SELECT (SELECT count(*) FROM ${job}
            WHERE ${job.tenantId} = ${ctx.tenant.id} AND ${job.status} IN ('queued', 'processing')
              AND ${job.queuedAt} > now() - make_interval(hours => ${STALE_JOB_HOURS}))::int AS running,
           last.status AS last_status, last.finished_at AS last_finished
    FROM (SELECT 1) one LEFT JOIN LATERAL (
      SELECT ${job.status} AS status, ${job.finishedAt} AS finished_at FROM ${job}
      WHERE ${job.tenantId} = ${ctx.tenant.id} AND ${job.finishedAt} IS NOT NULL
      ORDER BY ${job.finishedAt} DESC LIMIT 1
    ) last ON true`;
}
