import { describe, expect, it } from 'vitest';
import { ordersForDay } from '../../workers/amazon-sandbox/src/data/orders';
import { makeSeller } from '../../workers/amazon-sandbox/src/data/seller';
import { connect, control, createReport, download, gunzipBytes, reportText, sp, tsv } from './helpers';

const DAY = 86_400_000;

describe('reports', () => {
  it('moves IN_QUEUE -> IN_PROGRESS -> DONE by time since createdTime', async () => {
    const s = await connect();
    await control(`/sellers/${s.sellerId}/faults`, { reportQueueSeconds: 1, reportProcessingSeconds: 1 });
    const id = await createReport(s, 'GET_MERCHANT_LISTINGS_ALL_DATA');
    const status = async () =>
      ((await (await sp(s, `/reports/2021-06-30/reports/${id}`)).json()) as { processingStatus: string })
        .processingStatus;
    expect(await status()).toBe('IN_QUEUE');
    await new Promise((r) => setTimeout(r, 1100));
    expect(await status()).toBe('IN_PROGRESS');
    await new Promise((r) => setTimeout(r, 1000));
    const done = (await (await sp(s, `/reports/2021-06-30/reports/${id}`)).json()) as Record<string, string>;
    expect(done.processingStatus).toBe('DONE');
    expect(done.reportDocumentId).toMatch(/^amzn1\.spdoc\./);
    expect(Date.parse(done.processingEndTime!)).toBeGreaterThan(Date.parse(done.processingStartTime!));
  });

  it('ends FATAL, stays IN_QUEUE forever, or can be cancelled, as the faults say', async () => {
    const s = await connect();
    await control(`/sellers/${s.sellerId}/faults`, { reportOutcome: 'FATAL' });
    const fatal = await createReport(s, 'GET_MERCHANT_LISTINGS_ALL_DATA');
    const body = (await (await sp(s, `/reports/2021-06-30/reports/${fatal}`)).json()) as Record<
      string,
      unknown
    >;
    expect(body.processingStatus).toBe('FATAL');
    expect(body.reportDocumentId).toBeUndefined();
    await control(`/sellers/${s.sellerId}/faults`, { reportOutcome: 'NEVER_FINISH' });
    const stuck = await createReport(s, 'GET_MERCHANT_LISTINGS_ALL_DATA');
    expect(
      ((await (await sp(s, `/reports/2021-06-30/reports/${stuck}`)).json()) as Record<string, unknown>)
        .processingStatus,
    ).toBe('IN_QUEUE');
    expect((await sp(s, `/reports/2021-06-30/reports/${stuck}`, { method: 'DELETE' })).status).toBe(200);
    expect(
      ((await (await sp(s, `/reports/2021-06-30/reports/${stuck}`)).json()) as Record<string, unknown>)
        .processingStatus,
    ).toBe('CANCELLED');
  });

  it('serves the all-orders flat file gzip-compressed with Amazon column names, matching the generator', async () => {
    const s = await connect();
    const start = new Date(Date.now() - 6 * DAY);
    const end = new Date(Date.now() - 5 * DAY);
    const id = await createReport(s, 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL', {
      dataStartTime: start.toISOString(),
      dataEndTime: end.toISOString(),
    });
    const rows = tsv(await reportText(s, id));
    expect(Object.keys(rows[0]!)).toEqual(
      expect.arrayContaining([
        'amazon-order-id',
        'purchase-date',
        'order-status',
        'fulfillment-channel',
        'sku',
        'asin',
        'quantity',
        'currency',
        'item-price',
        'item-tax',
        'item-promotion-discount',
        'ship-country',
      ]),
    );
    const seller = makeSeller(s.sellerId);
    const expected = new Set<string>();
    for (let d = Math.floor(start.getTime() / DAY); d <= Math.floor(end.getTime() / DAY); d++) {
      for (const o of ordersForDay(seller, d))
        if (
          o.createdMs >= start.getTime() &&
          o.createdMs < end.getTime() &&
          o.marketplace.id === 'ATVPDKIKX0DER'
        )
          expected.add(o.orderId);
    }
    expect(new Set(rows.map((r) => r['amazon-order-id']))).toEqual(expected);
    expect(new Set(rows.map((r) => r['fulfillment-channel']))).toEqual(new Set(['Amazon', 'Merchant']));
  });

  it('serves listings (suppressed listings Inactive) and FBA inventory flat files', async () => {
    const s = await connect();
    const listings = tsv(await reportText(s, await createReport(s, 'GET_MERCHANT_LISTINGS_ALL_DATA')));
    expect(listings.length).toBe(40);
    expect(listings.filter((r) => r.status === 'Inactive').length).toBe(2);
    expect(new Set(listings.map((r) => r['fulfillment-channel']))).toEqual(new Set(['AMAZON_NA', 'DEFAULT']));
    const inventory = tsv(
      await reportText(s, await createReport(s, 'GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA')),
    );
    expect(inventory.length).toBeGreaterThan(0);
    expect(Object.keys(inventory[0]!)).toEqual(
      expect.arrayContaining([
        'sku',
        'fnsku',
        'asin',
        'afn-fulfillable-quantity',
        'afn-reserved-quantity',
        'afn-inbound-shipped-quantity',
      ]),
    );
  });

  it('lists settlement V2 reports through getReports and refuses to create them', async () => {
    const s = await connect();
    const refused = await sp(s, '/reports/2021-06-30/reports', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        reportType: 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2',
        marketplaceIds: ['ATVPDKIKX0DER'],
      }),
    });
    expect(refused.status).toBe(400);
    const list = (await (
      await sp(
        s,
        '/reports/2021-06-30/reports?reportTypes=GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2&marketplaceIds=ATVPDKIKX0DER&pageSize=3',
      )
    ).json()) as {
      reports: { reportId: string; dataStartTime: string; dataEndTime: string }[];
      nextToken?: string;
    };
    expect(list.reports.length).toBe(3);
    expect(list.nextToken).toBeTruthy();
    const r = list.reports[0]!;
    expect(Date.parse(r.dataEndTime) - Date.parse(r.dataStartTime)).toBe(14 * DAY);
    await control(`/sellers/${s.sellerId}/rate-limits/reset`, {});
    const rows = tsv(await reportText(s, r.reportId));
    const summary = rows[0]!;
    expect(summary['settlement-start-date']).toMatch(/UTC$/);
    const detail = rows.slice(1);
    const total = detail.reduce((sum, row) => sum + Number(row.amount), 0);
    expect(Number(summary['total-amount'])).toBeCloseTo(total, 1);
    const types = new Set(detail.map((row) => row['amount-description']));
    for (const t of ['Principal', 'Commission', 'FBAPerUnitFulfillmentFee']) expect(types).toContain(t);
  });

  it('applies document faults: truncated gzip, GZIP-marked plain text, Windows-1252', async () => {
    const s = await connect();
    const id = await createReport(s, 'GET_MERCHANT_LISTINGS_ALL_DATA');
    const report = (await (await sp(s, `/reports/2021-06-30/reports/${id}`)).json()) as {
      reportDocumentId: string;
    };
    const docUrl = async () => {
      await control(`/sellers/${s.sellerId}/rate-limits/reset`, {});
      return (
        (await (await sp(s, `/reports/2021-06-30/documents/${report.reportDocumentId}`)).json()) as {
          url: string;
          compressionAlgorithm: string;
        }
      ).url;
    };
    await control(`/sellers/${s.sellerId}/faults`, { document: 'TRUNCATED_GZIP' });
    const truncated = new Uint8Array(await (await download(await docUrl())).arrayBuffer());
    await expect(gunzipBytes(truncated)).rejects.toThrow();

    await control(`/sellers/${s.sellerId}/faults`, { document: 'NOT_COMPRESSED' });
    const plain = new Uint8Array(await (await download(await docUrl())).arrayBuffer());
    expect([plain[0], plain[1]]).not.toEqual([0x1f, 0x8b]);
    expect(new TextDecoder().decode(plain)).toContain('seller-sku');

    await control(`/sellers/${s.sellerId}/faults`, { document: 'OK', cp1252: true });
    const cp = await gunzipBytes(new Uint8Array(await (await download(await docUrl())).arrayBuffer()));
    expect(() => new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(cp)).toThrow();
    expect(new TextDecoder('windows-1252').decode(cp)).toContain('seller-sku');
  });

  it('rejects expired or tampered document URLs', async () => {
    const s = await connect();
    const id = await createReport(s, 'GET_MERCHANT_LISTINGS_ALL_DATA');
    const report = (await (await sp(s, `/reports/2021-06-30/reports/${id}`)).json()) as {
      reportDocumentId: string;
    };
    const { url } = (await (
      await sp(s, `/reports/2021-06-30/documents/${report.reportDocumentId}`)
    ).json()) as { url: string };
    expect((await download(url.replace(/X-Amz-Signature=[0-9a-f]{4}/, 'X-Amz-Signature=0000'))).status).toBe(
      403,
    );
    const old = url.replace(/X-Amz-Date=\d{8}T\d{6}Z/, 'X-Amz-Date=20200101T000000Z');
    expect((await download(old)).status).toBe(403);
  });
});
