import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { queryRows } from '../../db/client';
import { localDayWindow } from '../../db/local-days';
import { todayIn } from '../../lib/dates';
import { money } from '../../lib/money';
import { productMetricsCte } from '../products/metrics-sql';
import { tenantPrefs } from '../tenant/prefs';

/** A job still queued or processing after this long is not counted as running (it was lost). */
const STALE_JOB_HOURS = 6;

/**
 * Today's numbers (tenant-local day) straight from today's orders, which the index on
 * (tenant, purchase_date) keeps small; inventory value at unit cost; stock bands as in the product list.
 */
export async function realtime({
  db,
  tenantId,
  currency: requested,
}: {
  db: Database;
  tenantId: string;
  currency?: string;
}) {
  const prefs = await tenantPrefs(db, tenantId);
  const currency = requested ?? prefs.currency;
  const today = todayIn(prefs.timezone);
  const [sales, inventory, low, alerts, sync] = await Promise.all([
    queryRows<{ orders: number; units: number | null; revenue: string | null }>(
      db,
      sql`WITH o AS (SELECT amazon_order_id FROM orders
                     WHERE tenant_id = ${tenantId} AND order_status <> 'Canceled'
                       AND ${localDayWindow(sql`purchase_date`, prefs.timezone, today, today)}
                       AND coalesce(trim(currency), ${prefs.currency}) = ${currency})
          SELECT (SELECT count(*) FROM o)::int AS orders, sum(i.quantity)::int AS units,
                 sum(coalesce(i.item_price, 0) - coalesce(i.promotion_discount, 0))::text AS revenue
          FROM order_items i WHERE i.tenant_id = ${tenantId} AND i.amazon_order_id IN (SELECT amazon_order_id FROM o)`,
    ),
    queryRows<{ value: string | null; without_cost: number }>(
      db,
      sql`SELECT sum((fba_stock + fbm_stock) * cost) FILTER (WHERE cost IS NOT NULL)::text AS value,
                 count(*) FILTER (WHERE cost IS NULL AND fba_stock + fbm_stock > 0)::int AS without_cost
          FROM products WHERE tenant_id = ${tenantId} AND coalesce(trim(currency), ${prefs.currency}) = ${currency}`,
    ),
    queryRows<{ n: number }>(
      db,
      sql`WITH ${productMetricsCte(tenantId, today)}
          SELECT count(*)::int AS n FROM pm WHERE pm.is_active AND pm.stock_level IN ('critical', 'low')`,
    ),
    queryRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM alerts WHERE tenant_id = ${tenantId} AND status = 'active'`,
    ),
    queryRows<{ running: number; last_status: string | null; last_finished: unknown }>(
      db,
      sql`SELECT (SELECT count(*) FROM sync_jobs WHERE tenant_id = ${tenantId} AND status IN ('queued', 'processing')
                    AND queued_at > now() - make_interval(hours => ${STALE_JOB_HOURS}))::int AS running,
                 last.status AS last_status, last.finished_at AS last_finished
          FROM (SELECT 1) one LEFT JOIN LATERAL (
            SELECT status, finished_at FROM sync_jobs WHERE tenant_id = ${tenantId} AND finished_at IS NOT NULL
            ORDER BY finished_at DESC LIMIT 1) last ON true`,
    ),
  ]);
  const s = sync[0];
  const syncStatus = s && s.running > 0 ? 'running' : s?.last_status === 'failed' ? 'error' : 'idle';
  return {
    timestamp: new Date().toISOString(),
    date: today,
    timezone: prefs.timezone,
    currency,
    todaySales: money(sales[0]?.revenue ?? '0', currency),
    todayOrders: sales[0]?.orders ?? 0,
    todayUnits: sales[0]?.units ?? 0,
    currentInventoryValue: money(inventory[0]?.value ?? '0', currency),
    productsWithoutCost: inventory[0]?.without_cost ?? 0,
    lowStockProducts: low[0]?.n ?? 0,
    activeAlerts: alerts[0]?.n ?? 0,
    syncStatus: syncStatus as 'idle' | 'running' | 'error',
    lastSyncAt: s?.last_finished ? new Date(s.last_finished as string).toISOString() : null,
  };
}
