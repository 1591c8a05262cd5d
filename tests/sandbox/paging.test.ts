import { describe, expect, it } from 'vitest';
import { validateResponse } from './contract';
import { connect, control, freshSellerId, type Session, sp } from './helpers';

const US = 'ATVPDKIKX0DER';
// One clock for the whole file, so a test's repeated arguments are the same strings.
const NOW = Date.now();
const daysAgo = (n: number) => new Date(NOW - n * 86_400_000).toISOString();

/** A 400 in Amazon's error shape (the operation's model), with an InvalidInput error. */
async function expectInvalidInput(model: string, path: string, res: Response): Promise<string> {
  expect(res.status).toBe(400);
  const body = (await res.json()) as { errors: { code: string; message: string }[] };
  expect(validateResponse(model, path, 'get', 400, body)).toEqual([]);
  expect(body.errors[0]!.code).toBe('InvalidInput');
  return body.errors[0]!.message;
}

async function ok<T>(model: string, path: string, res: Response): Promise<T> {
  expect(res.status).toBe(200);
  const body = await res.json();
  expect(validateResponse(model, path, 'get', 200, body)).toEqual([]);
  return body as T;
}

const enc = encodeURIComponent;

describe('paging exactly per model: the next page repeats the arguments', () => {
  it('listTransactions (Finances 2024-06-19): nextToken alone or with other arguments is refused', async () => {
    const s = await connect();
    const path = '/finances/2024-06-19/transactions';
    const args = `postedAfter=${daysAgo(40)}&postedBefore=${daysAgo(1)}&marketplaceId=${US}`;
    type Page = { payload: { transactions: { transactionId: string }[]; nextToken?: string } };
    const first = await ok<Page>('finances2024', path, await sp(s, `${path}?${args}`));
    const token = first.payload.nextToken!;
    expect(token).toBeTruthy();
    expect(
      await expectInvalidInput('finances2024', path, await sp(s, `${path}?nextToken=${enc(token)}`)),
    ).toMatch(/same arguments.*postedAfter, postedBefore/);
    const changed = `postedAfter=${daysAgo(40)}&postedBefore=${daysAgo(2)}&marketplaceId=${US}`;
    expect(
      await expectInvalidInput(
        'finances2024',
        path,
        await sp(s, `${path}?${changed}&nextToken=${enc(token)}`),
      ),
    ).toMatch(/these differ: postedBefore\./);
    const second = await ok<Page>(
      'finances2024',
      path,
      await sp(s, `${path}?${args}&nextToken=${enc(token)}`),
    );
    const ids = (p: Page) => p.payload.transactions.map((t) => t.transactionId);
    expect(second.payload.transactions.length).toBeGreaterThan(0);
    expect(ids(second).filter((id) => ids(first).includes(id))).toEqual([]);
  });

  it('listFinancialEvents (Finances v0): NextToken needs PostedAfter, PostedBefore and MaxResultsPerPage again', async () => {
    const s = await connect();
    const path = '/finances/v0/financialEvents';
    const args = `PostedAfter=${daysAgo(20)}&PostedBefore=${daysAgo(1)}&MaxResultsPerPage=10`;
    type Page = { payload: { NextToken?: string; FinancialEvents: { ShipmentEventList?: unknown[] } } };
    const first = await ok<Page>('financesV0', path, await sp(s, `${path}?${args}`));
    const token = first.payload.NextToken!;
    expect(token).toBeTruthy();
    expect(
      await expectInvalidInput('financesV0', path, await sp(s, `${path}?NextToken=${enc(token)}`)),
    ).toMatch(/MaxResultsPerPage, PostedAfter, PostedBefore/);
    const noMax = `PostedAfter=${daysAgo(20)}&PostedBefore=${daysAgo(1)}`;
    expect(
      await expectInvalidInput('financesV0', path, await sp(s, `${path}?${noMax}&NextToken=${enc(token)}`)),
    ).toMatch(/these differ: MaxResultsPerPage\./);
    await ok('financesV0', path, await sp(s, `${path}?${args}&NextToken=${enc(token)}`));
  });

  it('searchOrders (Orders 2026-01-01): page 2 must carry the same filters and includedData', async () => {
    const s = await connect();
    const path = '/orders/2026-01-01/orders';
    const args = `lastUpdatedAfter=${daysAgo(10)}&marketplaceIds=${US}&fulfilledBy=AMAZON&maxResultsPerPage=20&includedData=PROCEEDS,FULFILLMENT`;
    type Page = {
      orders: { orderId: string; proceeds?: unknown; fulfillment?: { fulfilledBy?: string } }[];
      pagination?: { nextToken: string };
    };
    const first = await ok<Page>('orders2026', path, await sp(s, `${path}?${args}`));
    const token = first.pagination!.nextToken;
    const refused = [
      `paginationToken=${enc(token)}`,
      `lastUpdatedAfter=${daysAgo(10)}&marketplaceIds=${US}&fulfilledBy=AMAZON&maxResultsPerPage=20&paginationToken=${enc(token)}`,
      `lastUpdatedAfter=${daysAgo(10)}&marketplaceIds=${US}&maxResultsPerPage=20&includedData=PROCEEDS,FULFILLMENT&paginationToken=${enc(token)}`,
    ];
    const messages = [];
    for (const q of refused)
      messages.push(await expectInvalidInput('orders2026', path, await sp(s, `${path}?${q}`)));
    expect(messages[1]).toMatch(/these differ: includedData\./);
    expect(messages[2]).toMatch(/these differ: fulfilledBy\./);
    await control(`/sellers/${s.sellerId}/rate-limits/reset`, {});
    const second = await ok<Page>(
      'orders2026',
      path,
      await sp(s, `${path}?${args}&paginationToken=${enc(token)}`),
    );
    expect(second.orders.length).toBe(20);
    // The filter (fulfilledBy) and the datasets (includedData) of page 1 still apply.
    expect(second.orders.every((o) => o.fulfillment?.fulfilledBy === 'AMAZON')).toBe(true);
    expect(second.orders.some((o) => o.proceeds)).toBe(true);
    const firstIds = new Set(first.orders.map((o) => o.orderId));
    expect(second.orders.filter((o) => firstIds.has(o.orderId))).toEqual([]);
  });

  it('getReports: nextToken is the only parameter', async () => {
    const s = await connect();
    const path = '/reports/2021-06-30/reports';
    const args = `reportTypes=GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2&pageSize=2`;
    const first = await ok<{ nextToken?: string }>('reports', path, await sp(s, `${path}?${args}`));
    const token = enc(first.nextToken!);
    expect(
      await expectInvalidInput('reports', path, await sp(s, `${path}?${args}&nextToken=${token}`)),
    ).toMatch(/only parameter; also sent: pageSize, reportTypes/);
    await ok('reports', path, await sp(s, `${path}?nextToken=${token}`));
  });
});

describe('FBA Inventory nextToken expires 30 seconds after it is issued', () => {
  const path = '/fba/inventory/v1/summaries';
  const args = `details=true&granularityType=Marketplace&granularityId=${US}&marketplaceIds=${US}`;
  type Page = { pagination?: { nextToken: string } };

  /** A seller with enough FBA listings for several pages of 50. */
  async function bigSeller(): Promise<Session> {
    const sellerId = freshSellerId();
    expect((await control(`/sellers/${sellerId}/size`, { products: 200 }, 'PUT')).status).toBe(200);
    return connect(sellerId);
  }

  it('a token works at once and is refused 30 s later', async () => {
    const s = await bigSeller();
    const first = await ok<Page>('fbaInventory', path, await sp(s, `${path}?${args}`));
    const token = enc(first.pagination!.nextToken);
    await ok('fbaInventory', path, await sp(s, `${path}?${args}&nextToken=${token}`));
    await new Promise((r) => setTimeout(r, 30_500));
    expect(
      await expectInvalidInput('fbaInventory', path, await sp(s, `${path}?${args}&nextToken=${token}`)),
    ).toBe('The nextToken has expired.');
  }, 60_000);

  it('the expireInventoryTokens fault issues the next N tokens already expired', async () => {
    const s = await bigSeller();
    await control(`/sellers/${s.sellerId}/faults`, { expireInventoryTokens: 1 });
    const stale = await ok<Page>('fbaInventory', path, await sp(s, `${path}?${args}`));
    await expectInvalidInput(
      'fbaInventory',
      path,
      await sp(s, `${path}?${args}&nextToken=${enc(stale.pagination!.nextToken)}`),
    );
    await control(`/sellers/${s.sellerId}/rate-limits/reset`, {});
    const fresh = await ok<Page>('fbaInventory', path, await sp(s, `${path}?${args}`));
    await ok(
      'fbaInventory',
      path,
      await sp(s, `${path}?${args}&nextToken=${enc(fresh.pagination!.nextToken)}`),
    );
  });
});
