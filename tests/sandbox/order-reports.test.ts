import { describe, expect, it } from 'vitest';
import { scanOrders } from '../../workers/amazon-sandbox/src/data/order-query';
import { makeSeller } from '../../workers/amazon-sandbox/src/data/seller';
import { validateResponse } from './contract';
import { connect, control, createReport, freshSellerId, reportText, type Session, sp, tsv } from './helpers';

const DAY = 86_400_000;
const US = 'ATVPDKIKX0DER';
const BY_UPDATE = 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL';
const BY_ORDER_DATE = 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL';

/** getReport, checked against the Reports model. */
async function report(s: Session, id: string): Promise<Record<string, unknown>> {
  const res = await sp(s, `/reports/2021-06-30/reports/${id}`);
  expect(res.status).toBe(200);
  const body = await res.json();
  expect(validateResponse('reports', '/reports/2021-06-30/reports/{reportId}', 'get', 200, body)).toEqual([]);
  return body as Record<string, unknown>;
}

const range = (fromDaysAgo: number, toDaysAgo: number, now = Date.now()) => ({
  dataStartTime: new Date(now - fromDaysAgo * DAY).toISOString(),
  dataEndTime: new Date(now - toDaysAgo * DAY).toISOString(),
});

describe('order reports as Amazon serves them', () => {
  it('a range over 30 days ends DONE with the one-line "Date range exceeded" document; 30 days give rows', async () => {
    const s = await connect();
    const now = Date.now();
    for (const type of [BY_UPDATE, BY_ORDER_DATE]) {
      const tooLong = await createReport(s, type, {
        dataStartTime: new Date(now - 30 * DAY - 61_000).toISOString(),
        dataEndTime: new Date(now - 60_000).toISOString(),
      });
      expect((await report(s, tooLong)).processingStatus).toBe('DONE');
      expect((await reportText(s, tooLong)).split('\n')).toEqual([
        'Date range exceeded. Report can be requested only upto 30 days',
      ]);
    }
    const thirty = await createReport(s, BY_ORDER_DATE, {
      dataStartTime: new Date(now - 30 * DAY - 60_000).toISOString(),
      dataEndTime: new Date(now - 60_000).toISOString(),
    });
    const rows = tsv(await reportText(s, thirty));
    expect(rows.length).toBeGreaterThan(100);
    expect(Object.keys(rows[0]!)).toContain('amazon-order-id');
  });

  it('the orderReportMaxDays fault rehearses a shorter limit: 20 days then get the one-line document', async () => {
    const s = await connect();
    expect((await control(`/sellers/${s.sellerId}/faults`, { orderReportMaxDays: 10 })).status).toBe(200);
    const id = await createReport(s, BY_UPDATE, range(25, 5));
    expect((await report(s, id)).processingStatus).toBe('DONE');
    expect(await reportText(s, id)).toBe('Date range exceeded. Report can be requested only upto 30 days');
  });

  it('a report with no data ends CANCELLED with no document; the same seller with data ends DONE', async () => {
    // A TINY seller has 30 days of history: the 30 days before it hold no order.
    const s = await connect(freshSellerId('TINY'));
    for (const type of [BY_UPDATE, BY_ORDER_DATE]) {
      const empty = await createReport(s, type, range(70, 40));
      const body = await report(s, empty);
      expect(body.processingStatus).toBe('CANCELLED');
      expect(body.reportDocumentId).toBeUndefined();
      expect(body.processingEndTime).toBeDefined();
    }
    const withData = await createReport(s, BY_ORDER_DATE, range(20, 10));
    const done = await report(s, withData);
    expect(done.processingStatus).toBe('DONE');
    const seller = makeSeller(s.sellerId);
    const { dataStartTime, dataEndTime } = done as { dataStartTime: string; dataEndTime: string };
    const q = {
      by: 'created' as const,
      fromMs: Date.parse(dataStartTime),
      toMs: Date.parse(dataEndTime),
      marketplaceIds: [US],
      nowMs: Date.now(),
    };
    const expected = new Set(scanOrders(seller, q, 10_000).orders.map((o) => o.orderId));
    expect(expected.size).toBeGreaterThan(0);
    expect(new Set(tsv(await reportText(s, withData)).map((r) => r['amazon-order-id']))).toEqual(expected);
  });

  it('a new seller (no orders yet) gets CANCELLED order reports over its whole history', async () => {
    const sellerId = freshSellerId('SMALL');
    expect((await control(`/sellers/${sellerId}/size`, { ordersPerDay: 0 }, 'PUT')).status).toBe(200);
    const s = await connect(sellerId);
    for (const [from, to] of [
      [90, 60],
      [60, 30],
      [30, 0.01],
    ] as const) {
      expect((await report(s, await createReport(s, BY_UPDATE, range(from, to)))).processingStatus).toBe(
        'CANCELLED',
      );
    }
  });
});

describe('getMarketplaceParticipations lists more than the stores', () => {
  it('adds a participating "Non-Amazon" channel and a marketplace the seller is registered in but not active', async () => {
    const s = await connect();
    const res = await sp(s, '/sellers/v1/marketplaceParticipations');
    const body = await res.json();
    expect(validateResponse('sellers', '/sellers/v1/marketplaceParticipations', 'get', 200, body)).toEqual(
      [],
    );
    const list = (
      body as {
        payload: { marketplace: { id: string; name: string }; participation: { isParticipating: boolean } }[];
      }
    ).payload;
    const byName = new Map(list.map((p) => [p.marketplace.name, p]));
    expect(byName.get('Amazon.com')!.participation.isParticipating).toBe(true);
    expect(byName.get('Non-Amazon')).toMatchObject({
      marketplace: { id: 'A2ZV50J4W1RKNI' },
      participation: { isParticipating: true },
    });
    const inactive = list.filter((p) => !p.participation.isParticipating);
    expect(inactive.map((p) => p.marketplace.name)).toEqual(['Amazon.com.br']);
  });
});
