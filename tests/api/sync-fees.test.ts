import { and, eq, ne, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { orders, syncCursors } from '../../src/db/schema';
import { FEE_TYPES } from '../../src/services/finance/fee-types';
import { createJobs } from '../../src/services/sync/engine/jobs';
import { api, type TestUser, testDb } from './harness';
import { connectTenant, sellerAccessToken, settle, sp } from './sync-helpers';

interface Money {
  amount: string;
  currency: string;
}

interface FeeComponent {
  FeeType: string;
  FeeAmount: { CurrencyAmount: number };
}

interface V0Page {
  payload: {
    NextToken?: string;
    FinancialEvents: {
      ShipmentEventList: {
        AmazonOrderId: string;
        MarketplaceName: string;
        ShipmentItemList: { ItemFeeList?: FeeComponent[] }[];
      }[];
      RefundEventList: { AmazonOrderId: string }[];
    };
  };
}

const cents = (amount: string | number) => Math.round(Number(amount) * 100);
const REFERRAL: readonly string[] = FEE_TYPES.referral;

/** Every shipment's fee list and every refunded order in a posted range, straight from the sandbox. */
async function truthEvents(token: string, after: Date, before: Date) {
  const shipments: V0Page['payload']['FinancialEvents']['ShipmentEventList'] = [];
  const refunded = new Set<string>();
  let next: string | undefined;
  do {
    // Later pages repeat the first call's arguments with the token, as the model asks.
    const args = `PostedAfter=${after.toISOString()}&PostedBefore=${before.toISOString()}`;
    const q = next ? `${args}&NextToken=${encodeURIComponent(next)}` : args;
    const page = await sp<V0Page>(token, `/finances/v0/financialEvents?${q}`);
    shipments.push(...page.payload.FinancialEvents.ShipmentEventList);
    for (const r of page.payload.FinancialEvents.RefundEventList) refunded.add(r.AmazonOrderId);
    next = page.payload.NextToken;
  } while (next);
  return { shipments, refunded };
}

async function orderDetail(as: TestUser, orderId: string) {
  const res = await api(`/api/orders/${orderId}`, { as });
  expect(res.status).toBe(200);
  return (await res.json()) as {
    items: { estimatedFees: { referral: Money | null } }[];
    financial: { feeStatus: string; fees: { referral: Money } };
  };
}

describe('one fee classification for the sync, the order detail and the P&L', () => {
  it('a media line with a VariableClosingFee shows the same referral fee on its lines, its order and the P&L', async () => {
    const { tenant, sellerId, jobs } = await connectTenant();
    for (const j of jobs) await settle(tenant.id, j.jobId);
    // The connection's finance job may have run before its orders were written: read the same
    // period again now that every order line is there to take its settled fees.
    const first = await settle(tenant.id, jobs.find((j) => j.type === 'finance')!.jobId);
    const [again] = await createJobs(testDb(), [
      {
        tenantId: tenant.id,
        type: 'finance',
        trigger: 'manual',
        priority: 'high',
        range: { start: first.job.rangeStart!, end: first.job.rangeEnd! },
      },
    ]);
    const { job } = await settle(tenant.id, again!.id);
    expect(job.status).toBe('success');
    const [cursor] = await testDb()
      .select({ at: syncCursors.cursorAt })
      .from(syncCursors)
      .where(and(eq(syncCursors.tenantId, tenant.id), eq(syncCursors.type, 'finance')));

    // Ground truth: US shipments carrying a closing fee, on orders that were not refunded.
    const truth = await truthEvents(await sellerAccessToken(sellerId), job.rangeStart!, cursor!.at!);
    const referralOf = (fees: FeeComponent[]) =>
      -fees
        .filter((f) => REFERRAL.includes(f.FeeType))
        .reduce((s, f) => s + cents(f.FeeAmount.CurrencyAmount), 0);
    const media = truth.shipments.filter(
      (e) =>
        e.MarketplaceName === 'Amazon.com' &&
        !truth.refunded.has(e.AmazonOrderId) &&
        e.ShipmentItemList.some((i) => i.ItemFeeList?.some((f) => f.FeeType === 'VariableClosingFee')),
    );
    expect(media.length).toBeGreaterThan(0);
    const shipment = media[0]!;
    const expected = referralOf(shipment.ShipmentItemList.flatMap((i) => i.ItemFeeList ?? []));
    const closing = referralOf(
      shipment.ShipmentItemList.flatMap((i) => i.ItemFeeList ?? []).filter((f) => f.FeeType !== 'Commission'),
    );
    expect(closing).toBeGreaterThan(0);

    // The order detail: line estimates and the order's posted fees both count the closing fee as referral.
    const detail = await orderDetail(tenant.owner, shipment.AmazonOrderId);
    expect(detail.financial.feeStatus).toBe('settled');
    const lines = detail.items.reduce((s, i) => s + cents(i.estimatedFees.referral?.amount ?? 0), 0);
    expect(lines).toBe(expected);
    expect(cents(detail.financial.fees.referral.amount)).toBe(expected);

    // The P&L of the order's purchase day (the tenant is on UTC) adds up the same figures.
    const [order] = await testDb()
      .select({ day: sql<string>`to_char(${orders.purchaseDate} AT TIME ZONE 'UTC', 'YYYY-MM-DD')` })
      .from(orders)
      .where(and(eq(orders.tenantId, tenant.id), eq(orders.amazonOrderId, shipment.AmazonOrderId)));
    const sameDay = await testDb()
      .select({ id: orders.amazonOrderId })
      .from(orders)
      .where(
        and(
          eq(orders.tenantId, tenant.id),
          ne(orders.orderStatus, 'Canceled'),
          sql`(${orders.purchaseDate} AT TIME ZONE 'UTC')::date = ${order!.day}::date`,
        ),
      );
    let dayReferral = 0;
    for (const o of sameDay)
      dayReferral += cents((await orderDetail(tenant.owner, o.id)).financial.fees.referral.amount);
    expect(dayReferral).toBeGreaterThanOrEqual(expected);
    const pnl = await api(`/api/finance/pnl?startDate=${order!.day}&endDate=${order!.day}`, {
      as: tenant.owner,
    });
    expect(pnl.status).toBe(200);
    const body = (await pnl.json()) as { current: { operatingExpenses: { lines: { referral: Money } } } };
    expect(cents(body.current.operatingExpenses.lines.referral.amount)).toBe(dayReferral);
  }, 60_000);
});
