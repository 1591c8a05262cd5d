import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { alerts } from '../../db/schema';
import type { ALERT_SEVERITIES } from '../../db/schema/alerts';

export interface AlertInput {
  type: string;
  severity: (typeof ALERT_SEVERITIES)[number];
  title: string;
  message?: string;
  asin?: string;
  marketplaceId?: string;
  data?: Record<string, unknown>;
  /** One active alert per key: re-raising an open condition is a no-op. */
  dedupeKey: string;
}

/** Raises alerts in one statement; returns how many were new. */
export async function raiseAlerts(db: Database, tenantId: string, list: AlertInput[]): Promise<number> {
  if (list.length === 0) return 0;
  const rows = await db
    .insert(alerts)
    .values(
      list.map((a) => ({
        tenantId,
        type: a.type,
        severity: a.severity,
        title: a.title,
        message: a.message ?? null,
        asin: a.asin ?? null,
        marketplaceId: a.marketplaceId ?? null,
        data: a.data ?? {},
        dedupeKey: a.dedupeKey,
      })),
    )
    .onConflictDoNothing({ target: [alerts.tenantId, alerts.dedupeKey], where: sql`status = 'active'` })
    .returning({ id: alerts.id });
  return rows.length;
}

export const raiseAlert = (db: Database, tenantId: string, alert: AlertInput) =>
  raiseAlerts(db, tenantId, [alert]);

/** Closes active alerts whose condition cleared (e.g. the buy box was won back). */
export async function resolveAlerts(
  db: Database,
  tenantId: string,
  dedupeKeys: string[],
  resolution: string,
): Promise<void> {
  if (dedupeKeys.length === 0) return;
  await db
    .update(alerts)
    .set({ status: 'resolved', resolvedAt: new Date(), resolution })
    .where(
      sql`${alerts.tenantId} = ${tenantId} AND ${alerts.status} = 'active' AND ${alerts.dedupeKey} IN ${dedupeKeys}`,
    );
}
