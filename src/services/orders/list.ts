import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { queryRows } from '../../db/client';
import { localDayWindow } from '../../db/local-days';
import { assertRange, type DayRange, toIso } from '../../lib/dates';
import { divide, money } from '../../lib/money';
import { tenantPrefs } from '../tenant/prefs';

export interface OrderListInput extends DayRange {
  page: number;
  limit: number;
  status?: string[];
  fulfillmentChannel?: 'AFN' | 'MFN';
  marketplaceId?: string;
  minAmount?: number;
  maxAmount?: number;
  currency?: string;
  sortBy: 'purchaseDate' | 'orderTotal';
  sortOrder: 'asc' | 'desc';
}

export function toOrder(r: Record<string, unknown>, fallbackCurrency: string) {
  const currency = (r.currency as string | null) ?? fallbackCurrency;
  return {
    amazonOrderId: r.amazon_order_id as string,
    marketplaceId: r.marketplace_id as string,
    purchaseDate: toIso(r.purchase_date),
    lastUpdateDate: toIso(r.last_update_date),
    status: r.order_status as string,
    fulfillmentChannel: r.fulfillment_channel as string | null,
    salesChannel: r.sales_channel as string | null,
    currency,
    orderTotal: r.order_total === null ? null : money(r.order_total as string, currency),
    numberOfItems: r.number_of_items as number,
    isBusinessOrder: r.is_business_order as boolean,
    isPrime: r.is_prime as boolean,
    shipCountryCode: r.ship_country_code as string | null,
    shipStateCode: r.ship_state_code as string | null,
  };
}

export const ORDER_COLUMNS =
  sql.raw(`o.amazon_order_id, o.marketplace_id, o.purchase_date, o.last_update_date,
  o.order_status, o.fulfillment_channel, o.sales_channel, o.order_total::text AS order_total, trim(o.currency) AS currency,
  o.number_of_items, o.is_business_order, o.is_prime, o.ship_country_code, o.ship_state_code, o.ship_city_hash,
  o.tracking_number, o.carrier, o.estimated_delivery, o.promotion_discount::text AS promotion_discount, o.tax::text AS tax`);

/**
 * Orders purchased on [startDate, endDate] (tenant-local days). The summary adds up the orders in one
 * currency (`currency`, default the tenant's): revenue = Σ (item price − promotion discount), tax excluded.
 */
export async function listOrders({
  db,
  tenantId,
  input,
}: {
  db: Database;
  tenantId: string;
  input: OrderListInput;
}) {
  assertRange(input);
  const prefs = await tenantPrefs(db, tenantId);
  const currency = input.currency ?? prefs.currency;
  const where: SQL[] = [
    sql`o.tenant_id = ${tenantId}`,
    localDayWindow(sql`o.purchase_date`, prefs.timezone, input.start, input.end),
  ];
  if (input.status?.length)
    where.push(
      sql`o.order_status IN (${sql.join(
        input.status.map((s) => sql`${s}`),
        sql`, `,
      )})`,
    );
  if (input.fulfillmentChannel) where.push(sql`o.fulfillment_channel = ${input.fulfillmentChannel}`);
  if (input.marketplaceId) where.push(sql`o.marketplace_id = ${input.marketplaceId}`);
  if (input.minAmount !== undefined) where.push(sql`o.order_total >= ${input.minAmount}`);
  if (input.maxAmount !== undefined) where.push(sql`o.order_total <= ${input.maxAmount}`);
  const cond = sql.join(where, sql` AND `);
  const key = input.sortBy === 'orderTotal' ? sql`o.order_total` : sql`o.purchase_date`;
  const dir = sql.raw(input.sortOrder === 'asc' ? 'ASC NULLS FIRST' : 'DESC NULLS LAST');

  const [rows, counts, summary] = await Promise.all([
    queryRows(
      db,
      sql`SELECT ${ORDER_COLUMNS} FROM orders o WHERE ${cond}
          ORDER BY ${key} ${dir}, o.amazon_order_id ${dir} LIMIT ${input.limit} OFFSET ${(input.page - 1) * input.limit}`,
    ),
    queryRows<{ total: number }>(db, sql`SELECT count(*)::int AS total FROM orders o WHERE ${cond}`),
    queryRows<{ orders: number; revenue: string | null; units: number | null }>(
      db,
      sql`WITH f AS (SELECT o.amazon_order_id FROM orders o
                     WHERE ${cond} AND coalesce(trim(o.currency), ${prefs.currency}) = ${currency})
          SELECT (SELECT count(*) FROM f)::int AS orders,
                 sum(coalesce(i.item_price, 0) - coalesce(i.promotion_discount, 0))::text AS revenue,
                 sum(i.quantity)::int AS units
          FROM order_items i WHERE i.tenant_id = ${tenantId} AND i.amazon_order_id IN (SELECT amazon_order_id FROM f)`,
    ),
  ]);
  const total = counts[0]?.total ?? 0;
  const s = summary[0] ?? { orders: 0, revenue: null, units: null };
  return {
    orders: rows.map((r) => toOrder(r, prefs.currency)),
    pagination: { page: input.page, limit: input.limit, total, pages: Math.ceil(total / input.limit) },
    summary: {
      currency,
      totalOrders: s.orders,
      totalRevenue: money(s.revenue ?? '0', currency),
      avgOrderValue: money(divide(s.revenue ?? '0', String(s.orders)) ?? '0', currency),
      totalUnits: s.units ?? 0,
    },
  };
}
