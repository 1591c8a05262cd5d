import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { alerts } from '../../db/schema';
import type { ALERT_SEVERITIES } from '../../db/schema/alerts';
import type { TenantInfo } from '../context';

/** What raising and resolving alerts needs: a client or an open transaction, and the tenant. */
export interface AlertContext {
  db: Db;
  tenant: Pick<TenantInfo, 'id'>;
}

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

export interface ResolveAlertsInput {
  dedupeKeys: string[];
  resolution: string;
}

/**
 * The partial unique index's predicate, repeated so ON CONFLICT can infer that index: unqualified
 * and with a literal (a bind parameter would not match the index definition).
 */
const activeOnly = sql`${sql.identifier(alerts.status.name)} = 'active'`;

/** Raises alerts in one statement; returns how many were new. */
export async function raiseAlerts(ctx: AlertContext, list: AlertInput[]): Promise<number>;
/** @deprecated Pass a context: `raiseAlerts(ctx, list)`. Kept until the sync and account callers move. */
export async function raiseAlerts(db: Db, tenantId: string, list: AlertInput[]): Promise<number>;
export async function raiseAlerts(
  ...args: [AlertContext, AlertInput[]] | [Db, string, AlertInput[]]
): Promise<number> {
  const [ctx, list] = args.length === 2 ? args : [{ db: args[0], tenant: { id: args[1] } }, args[2]];
  if (list.length === 0) return 0;
  const rows = await ctx.db
    .insert(alerts)
    .values(
      list.map((a) => ({
        tenantId: ctx.tenant.id,
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
    .onConflictDoNothing({ target: [alerts.tenantId, alerts.dedupeKey], where: activeOnly })
    .returning({ id: alerts.id });
  return rows.length;
}

export function raiseAlert(ctx: AlertContext, alert: AlertInput): Promise<number>;
/** @deprecated Pass a context: `raiseAlert(ctx, alert)`. Kept until the sync and account callers move. */
export function raiseAlert(db: Db, tenantId: string, alert: AlertInput): Promise<number>;
export function raiseAlert(...args: [AlertContext, AlertInput] | [Db, string, AlertInput]): Promise<number> {
  const [ctx, alert] = args.length === 2 ? args : [{ db: args[0], tenant: { id: args[1] } }, args[2]];
  return raiseAlerts(ctx, [alert]);
}

/** Closes active alerts whose condition cleared (e.g. the buy box was won back). */
export async function resolveAlerts(ctx: AlertContext, input: ResolveAlertsInput): Promise<void>;
/** @deprecated Pass a context: `resolveAlerts(ctx, { dedupeKeys, resolution })`. */
export async function resolveAlerts(
  db: Db,
  tenantId: string,
  dedupeKeys: string[],
  resolution: string,
): Promise<void>;
export async function resolveAlerts(
  ...args: [AlertContext, ResolveAlertsInput] | [Db, string, string[], string]
): Promise<void> {
  const [ctx, { dedupeKeys, resolution }] =
    args.length === 2
      ? args
      : [
          { db: args[0], tenant: { id: args[1] } },
          { dedupeKeys: args[2], resolution: args[3] },
        ];
  if (dedupeKeys.length === 0) return;
  await ctx.db
    .update(alerts)
    .set({ status: 'resolved', resolvedAt: new Date(), resolution })
    .where(
      and(
        eq(alerts.tenantId, ctx.tenant.id),
        eq(alerts.status, 'active'),
        inArray(alerts.dedupeKey, dedupeKeys),
      ),
    );
}
