import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { alerts } from '../../db/schema';
import type { TenantInfo } from '../context';

export interface AlertReadContext {
  db: Database;
  tenant: Pick<TenantInfo, 'id'>;
}

/** Alerts shown on the dashboard. */
const ACTIVE_SHOWN = 10;

const isActive = (ctx: AlertReadContext) =>
  and(eq(alerts.tenantId, ctx.tenant.id), eq(alerts.status, 'active'));

/** Active alerts: all of them, critical ones, and warnings (high or medium). */
export async function activeAlertCounts(ctx: AlertReadContext) {
  const [counts] = await ctx.db
    .select({
      total: sql<number>`count(*)::int`,
      critical: sql<number>`count(*) FILTER (WHERE ${alerts.severity} = 'critical')::int`,
      warning: sql<number>`count(*) FILTER (WHERE ${alerts.severity} IN ('high', 'medium'))::int`,
    })
    .from(alerts)
    .where(isActive(ctx));
  return counts ?? { total: 0, critical: 0, warning: 0 };
}

/** The most severe, then newest, active alerts with the active counts. */
export async function activeAlertSummary(ctx: AlertReadContext) {
  const [active, counts] = await Promise.all([
    ctx.db
      .select({
        id: alerts.id,
        type: alerts.type,
        severity: alerts.severity,
        title: alerts.title,
        asin: alerts.asin,
        createdAt: alerts.createdAt,
      })
      .from(alerts)
      .where(isActive(ctx))
      .orderBy(
        sql`CASE ${alerts.severity} WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END`,
        desc(alerts.createdAt),
      )
      .limit(ACTIVE_SHOWN),
    activeAlertCounts(ctx),
  ]);
  return {
    active: active.map((a) => ({ ...a, createdAt: a.createdAt.toISOString() })),
    ...counts,
  };
}
