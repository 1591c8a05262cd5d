import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { queryRows } from '../../db/client';
import { toIso } from '../../lib/dates';
import { NotFoundError } from '../../lib/errors';
import { decimal, money, percentOf, sub, sum } from '../../lib/money';
import { FEE_LINES, type FeeLine, feeLineOf } from '../finance/fee-types';
import { tenantPrefs } from '../tenant/prefs';
import { ORDER_COLUMNS, toOrder } from './list';

/**
 * One order with its lines and financials. Fees of settled lines are the posted finance events
 * (grouped into P&L fee lines); lines still "estimated" use the fee estimates stored on the line.
 */
export async function getOrderDetail({
  db,
  tenantId,
  amazonOrderId,
}: {
  db: Database;
  tenantId: string;
  amazonOrderId: string;
}) {
  const prefs = await tenantPrefs(db, tenantId);
  const [order] = await queryRows(
    db,
    sql`SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.tenant_id = ${tenantId} AND o.amazon_order_id = ${amazonOrderId}`,
  );
  if (!order) throw new NotFoundError('Order not found');
  const currency = (order.currency as string | null) ?? prefs.currency;

  const [items, settledFees, refunds] = await Promise.all([
    queryRows<Record<string, string | number | null>>(
      db,
      sql`SELECT i.order_item_id, i.asin, i.sku, i.title, i.quantity, i.item_price::text AS item_price,
                 i.item_tax::text AS item_tax, i.shipping_price::text AS shipping_price,
                 i.promotion_discount::text AS promotion_discount, i.fee_status,
                 i.referral_fee::text AS referral_fee, i.fba_fee::text AS fba_fee, i.other_fees::text AS other_fees,
                 (i.quantity * p.cost)::text AS cogs
          FROM order_items i
          LEFT JOIN products p ON p.tenant_id = i.tenant_id AND p.asin = i.asin AND p.marketplace_id = ${order.marketplace_id as string}
          WHERE i.tenant_id = ${tenantId} AND i.amazon_order_id = ${amazonOrderId} ORDER BY i.order_item_id`,
    ),
    queryRows<{ asin: string | null; line: FeeLine; amount: string }>(
      db,
      sql`SELECT fe.asin, ${feeLineOf(sql`fe.fee_type`)} AS line, (-sum(fe.amount))::text AS amount
          FROM finance_events fe
          WHERE fe.tenant_id = ${tenantId} AND fe.amazon_order_id = ${amazonOrderId} AND fe.category = 'fee'
          GROUP BY 1, 2`,
    ),
    queryRows<{ amount: string | null }>(
      db,
      sql`SELECT (-sum(amount))::text AS amount FROM finance_events
          WHERE tenant_id = ${tenantId} AND amazon_order_id = ${amazonOrderId} AND category = 'refund'`,
    ),
  ]);

  const fees: Record<FeeLine, string> = Object.fromEntries(FEE_LINES.map((l) => [l, '0'])) as Record<
    FeeLine,
    string
  >;
  let estimated = '0';
  const settledAsins = new Set<string>();
  for (const item of items) {
    const asin = item.asin as string;
    const hasPosted = settledFees.some((f) => f.asin === asin);
    if (item.fee_status === 'settled' && hasPosted) {
      if (!settledAsins.has(asin)) {
        settledAsins.add(asin);
        for (const f of settledFees.filter((x) => x.asin === asin))
          fees[f.line] = sum(fees[f.line], f.amount);
      }
    } else {
      fees.referral = sum(fees.referral, item.referral_fee as string | null);
      fees.fbaFulfillment = sum(fees.fbaFulfillment, item.fba_fee as string | null);
      fees.other = sum(fees.other, item.other_fees as string | null);
      estimated = sum(
        estimated,
        item.referral_fee as string | null,
        item.fba_fee as string | null,
        item.other_fees as string | null,
      );
    }
  }
  // Order-level fee events without an ASIN (rare) still belong to the order.
  for (const f of settledFees.filter((x) => x.asin === null)) fees[f.line] = sum(fees[f.line], f.amount);

  const revenue = sum(
    ...items.map((i) => sub(i.item_price as string | null, i.promotion_discount as string | null)),
  );
  const feesTotal = sum(...Object.values(fees));
  const refundTotal = refunds[0]?.amount ?? '0';
  const cogs = sum(...items.map((i) => i.cogs as string | null));
  const profit = sub(sub(sub(revenue, feesTotal), refundTotal), cogs);
  const allSettled = items.length > 0 && items.every((i) => i.fee_status === 'settled');
  const m = (v: string | null) => (v === null ? null : money(v, currency));

  return {
    order: toOrder(order, prefs.currency),
    items: items.map((i) => ({
      orderItemId: i.order_item_id as string,
      asin: i.asin as string,
      sku: i.sku as string | null,
      title: i.title as string | null,
      quantity: i.quantity as number,
      itemPrice: m(i.item_price as string | null),
      itemTax: m(i.item_tax as string | null),
      shippingPrice: m(i.shipping_price as string | null),
      promotionDiscount: m(i.promotion_discount as string | null),
      feeStatus: i.fee_status as string,
      estimatedFees: {
        referral: m(i.referral_fee as string | null),
        fba: m(i.fba_fee as string | null),
        other: m(i.other_fees as string | null),
      },
    })),
    customer: {
      cityHash: order.ship_city_hash as string | null,
      stateCode: order.ship_state_code as string | null,
      countryCode: order.ship_country_code as string | null,
    },
    fulfillment: {
      status: order.order_status as string,
      channel: order.fulfillment_channel as string | null,
      trackingNumber: order.tracking_number as string | null,
      carrier: order.carrier as string | null,
      estimatedDelivery: toIso(order.estimated_delivery),
    },
    financial: {
      currency,
      revenue: money(revenue, currency),
      fees: {
        ...Object.fromEntries(FEE_LINES.map((l) => [l, money(fees[l], currency)])),
        total: money(feesTotal, currency),
      },
      refunds: money(refundTotal, currency),
      cogs: money(cogs, currency),
      profit: money(profit, currency),
      margin: percentOf(decimal(profit), decimal(revenue)),
      feeStatus: allSettled ? 'settled' : 'estimated',
      estimatedFees: money(estimated, currency),
    },
  };
}
