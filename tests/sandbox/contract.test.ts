import { describe, expect, it } from 'vitest';
import { validateResponse } from './contract';
import { call, connect, control, type Session, sp } from './helpers';

const US = 'ATVPDKIKX0DER';
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

async function json(res: Response): Promise<unknown> {
  return res.json();
}

async function expectValid(
  model: string,
  path: string,
  method: string,
  res: Response,
  status = 200,
): Promise<unknown> {
  expect(res.status).toBe(status);
  const body = await json(res);
  expect(validateResponse(model, path, method, status, body)).toEqual([]);
  return body;
}

async function connectFresh(): Promise<Session> {
  return connect();
}

describe('contract: every SP-API operation answers in its official schema', () => {
  it('sellers getMarketplaceParticipations', async () => {
    const s = await connectFresh();
    await expectValid(
      'sellers',
      '/sellers/v1/marketplaceParticipations',
      'get',
      await sp(s, '/sellers/v1/marketplaceParticipations'),
    );
  });

  it('orders v0 getOrders, getOrder, getOrderItems (and errors)', async () => {
    const s = await connectFresh();
    const list = (await expectValid(
      'ordersV0',
      '/orders/v0/orders',
      'get',
      await sp(
        s,
        `/orders/v0/orders?MarketplaceIds=${US},A1F83G8C2ARO7P&CreatedAfter=${daysAgo(10)}&MaxResultsPerPage=20`,
      ),
    )) as {
      payload: { Orders: { AmazonOrderId: string }[]; NextToken?: string };
    };
    expect(list.payload.Orders.length).toBe(20);
    expect(list.payload.NextToken).toBeTruthy();
    await expectValid(
      'ordersV0',
      '/orders/v0/orders',
      'get',
      await sp(
        s,
        `/orders/v0/orders?MarketplaceIds=${US}&NextToken=${encodeURIComponent(list.payload.NextToken!)}`,
      ),
    );
    await expectValid(
      'ordersV0',
      '/orders/v0/orders',
      'get',
      await sp(s, `/orders/v0/orders?MarketplaceIds=${US}&LastUpdatedAfter=${daysAgo(2)}`),
    );
    const id = list.payload.Orders[0]!.AmazonOrderId;
    await expectValid(
      'ordersV0',
      '/orders/v0/orders/{orderId}',
      'get',
      await sp(s, `/orders/v0/orders/${id}`),
    );
    await expectValid(
      'ordersV0',
      '/orders/v0/orders/{orderId}/orderItems',
      'get',
      await sp(s, `/orders/v0/orders/${id}/orderItems`),
    );
    await expectValid(
      'ordersV0',
      '/orders/v0/orders',
      'get',
      await sp(s, `/orders/v0/orders?MarketplaceIds=${US}&CreatedAfter=yesterday`),
      400,
    );
    await expectValid(
      'ordersV0',
      '/orders/v0/orders/{orderId}',
      'get',
      await sp(s, '/orders/v0/orders/999-0000001-0000001'),
      404,
    );
  });

  it('orders 2026-01-01 searchOrders and getOrder with every includedData', async () => {
    const s = await connectFresh();
    const all =
      'BUYER,RECIPIENT,PROCEEDS,EXPENSE,PROMOTION,CANCELLATION,FULFILLMENT,PACKAGES,TAX,PAYMENT,FULFILLMENT_ORDERS';
    const firstPage = `createdAfter=${daysAgo(20)}&includedData=${all}`;
    const page = (await expectValid(
      'orders2026',
      '/orders/2026-01-01/orders',
      'get',
      await sp(s, `/orders/2026-01-01/orders?${firstPage}`),
    )) as {
      orders: { orderId: string }[];
      pagination?: { nextToken: string };
    };
    expect(page.orders.length).toBe(100);
    await expectValid(
      'orders2026',
      '/orders/2026-01-01/orders',
      'get',
      await sp(
        s,
        `/orders/2026-01-01/orders?${firstPage}&paginationToken=${encodeURIComponent(page.pagination!.nextToken)}`,
      ),
    );
    await expectValid(
      'orders2026',
      '/orders/2026-01-01/orders',
      'get',
      await sp(
        s,
        `/orders/2026-01-01/orders?lastUpdatedAfter=${daysAgo(3)}&marketplaceIds=${US}&fulfillmentStatuses=SHIPPED`,
      ),
    );
    await expectValid(
      'orders2026',
      '/orders/2026-01-01/orders/{orderId}',
      'get',
      await sp(s, `/orders/2026-01-01/orders/${page.orders[0]!.orderId}?includedData=${all}`),
    );
    await expectValid(
      'orders2026',
      '/orders/2026-01-01/orders',
      'get',
      await sp(s, '/orders/2026-01-01/orders?createdAfter=TEST_CASE_400'),
      400,
    );
  });

  it('reports createReport, getReports, getReport, getReportDocument', async () => {
    const s = await connectFresh();
    const created = (await expectValid(
      'reports',
      '/reports/2021-06-30/reports',
      'post',
      await sp(s, '/reports/2021-06-30/reports', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: [US] }),
      }),
      202,
    )) as { reportId: string };
    const report = (await expectValid(
      'reports',
      '/reports/2021-06-30/reports/{reportId}',
      'get',
      await sp(s, `/reports/2021-06-30/reports/${created.reportId}`),
    )) as { reportDocumentId: string };
    await expectValid(
      'reports',
      '/reports/2021-06-30/reports',
      'get',
      await sp(
        s,
        '/reports/2021-06-30/reports?reportTypes=GET_MERCHANT_LISTINGS_ALL_DATA,GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2',
      ),
    );
    await expectValid(
      'reports',
      '/reports/2021-06-30/documents/{reportDocumentId}',
      'get',
      await sp(s, `/reports/2021-06-30/documents/${report.reportDocumentId}`),
    );
    await expectValid(
      'reports',
      '/reports/2021-06-30/reports',
      'post',
      await sp(s, '/reports/2021-06-30/reports', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ reportType: 'BAD', marketplaceIds: [US] }),
      }),
      400,
    );
  });

  it('fba inventory getInventorySummaries', async () => {
    const s = await connectFresh();
    await expectValid(
      'fbaInventory',
      '/fba/inventory/v1/summaries',
      'get',
      await sp(
        s,
        `/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=${US}&marketplaceIds=${US}&details=true`,
      ),
    );
    await expectValid(
      'fbaInventory',
      '/fba/inventory/v1/summaries',
      'get',
      await sp(
        s,
        `/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=${US}&marketplaceIds=${US}`,
      ),
    );
  });

  it('finances v0 (events, by order, groups, by group) and 2024-06-19 listTransactions', async () => {
    const s = await connectFresh();
    const events = (await expectValid(
      'financesV0',
      '/finances/v0/financialEvents',
      'get',
      await sp(s, `/finances/v0/financialEvents?PostedAfter=${daysAgo(20)}`),
    )) as {
      payload: { FinancialEvents: { ShipmentEventList: { AmazonOrderId: string }[] } };
    };
    const orderId = events.payload.FinancialEvents.ShipmentEventList[0]!.AmazonOrderId;
    await expectValid(
      'financesV0',
      '/finances/v0/orders/{orderId}/financialEvents',
      'get',
      await sp(s, `/finances/v0/orders/${orderId}/financialEvents`),
    );
    const groups = (await expectValid(
      'financesV0',
      '/finances/v0/financialEventGroups',
      'get',
      await sp(s, '/finances/v0/financialEventGroups'),
    )) as {
      payload: { FinancialEventGroupList: { FinancialEventGroupId: string }[] };
    };
    const groupId = groups.payload.FinancialEventGroupList[0]!.FinancialEventGroupId;
    await expectValid(
      'financesV0',
      '/finances/v0/financialEventGroups/{eventGroupId}/financialEvents',
      'get',
      await sp(s, `/finances/v0/financialEventGroups/${groupId}/financialEvents`),
    );
    await expectValid(
      'finances2024',
      '/finances/2024-06-19/transactions',
      'get',
      await sp(s, `/finances/2024-06-19/transactions?postedAfter=${daysAgo(30)}`),
    );
  });

  it('product pricing v0 offers (single and batch) and 2022-05-01 competitive summary', async () => {
    const s = await connectFresh();
    const listing = (await (await call(`/_sandbox/sellers/${s.sellerId}/orders`)).json()) as {
      orders: { items: { asin: string; sku: string }[] }[];
    };
    const { asin, sku } = listing.orders[0]!.items[0]!;
    await expectValid(
      'pricingV0',
      '/products/pricing/v0/items/{Asin}/offers',
      'get',
      await sp(s, `/products/pricing/v0/items/${asin}/offers?MarketplaceId=${US}&ItemCondition=New`),
    );
    await expectValid(
      'pricingV0',
      '/products/pricing/v0/listings/{SellerSKU}/offers',
      'get',
      await sp(
        s,
        `/products/pricing/v0/listings/${encodeURIComponent(sku)}/offers?MarketplaceId=${US}&ItemCondition=New`,
      ),
    );
    await expectValid(
      'pricingV0',
      '/batches/products/pricing/v0/itemOffers',
      'post',
      await sp(s, '/batches/products/pricing/v0/itemOffers', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          requests: [
            {
              uri: `/products/pricing/v0/items/${asin}/offers`,
              method: 'GET',
              MarketplaceId: US,
              ItemCondition: 'New',
              CustomerType: 'Consumer',
            },
          ],
        }),
      }),
    );
    await expectValid(
      'pricing2022',
      '/batches/products/pricing/2022-05-01/items/competitiveSummary',
      'post',
      await sp(s, '/batches/products/pricing/2022-05-01/items/competitiveSummary', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          requests: [
            {
              asin,
              marketplaceId: US,
              includedData: ['featuredBuyingOptions', 'referencePrices', 'lowestPricedOffers'],
              method: 'GET',
              uri: '/products/pricing/2022-05-01/items/competitiveSummary',
            },
          ],
        }),
      }),
    );
  });

  it('catalog getCatalogItem with every includedData', async () => {
    const s = await connectFresh();
    const inc =
      'attributes,classifications,dimensions,identifiers,images,productTypes,relationships,salesRanks,summaries,vendorDetails';
    await expectValid(
      'catalog',
      '/catalog/2022-04-01/items/{asin}',
      'get',
      await sp(s, `/catalog/2022-04-01/items/B07N4M94X4?marketplaceIds=${US}&includedData=${inc}`),
    );
    await expectValid(
      'catalog',
      '/catalog/2022-04-01/items/{asin}',
      'get',
      await sp(s, `/catalog/2022-04-01/items/bad?marketplaceIds=${US}`),
      400,
    );
  });

  it('listings items getListingsItem and searchListingsItems, suppressed listings with their issue', async () => {
    const s = await connectFresh();
    const inc = 'summaries,offers,fulfillmentAvailability,issues,productTypes,attributes';
    const search = (await expectValid(
      'listings',
      '/listings/2021-08-01/items/{sellerId}',
      'get',
      await sp(
        s,
        `/listings/2021-08-01/items/${s.sellerId}?marketplaceIds=${US}&includedData=${inc}&pageSize=20`,
      ),
    )) as {
      numberOfResults: number;
      items: { sku: string; issues: unknown[]; summaries: { status: string[] }[] }[];
    };
    expect(search.numberOfResults).toBe(40);
    const suppressed = search.items.filter((i) => i.issues.length > 0);
    expect(suppressed.length).toBeGreaterThan(0);
    expect(suppressed[0]!.summaries[0]!.status).toEqual(['BUYABLE']);
    await expectValid(
      'listings',
      '/listings/2021-08-01/items/{sellerId}/{sku}',
      'get',
      await sp(
        s,
        `/listings/2021-08-01/items/${s.sellerId}/${encodeURIComponent(search.items[0]!.sku)}?marketplaceIds=${US}&includedData=${inc}`,
      ),
    );
    expect((await sp(s, `/listings/2021-08-01/items/AOTHERSELLER1?marketplaceIds=${US}`)).status).toBe(403);
  });

  it('notifications createDestination (grantless), getDestinations, createSubscription, getSubscription', async () => {
    const s = await connectFresh();
    const grant = (await (
      await call('/auth/o2/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          scope: 'sellingpartnerapi::notifications',
          client_id: 'amzn1.application-oa2-client.sandbox',
          client_secret: 'sandbox-secret',
        }).toString(),
      })
    ).json()) as { access_token: string };
    const app: Session = { sellerId: 'app', accessToken: grant.access_token, refreshToken: '' };
    const dest = (await expectValid(
      'notifications',
      '/notifications/v1/destinations',
      'post',
      await sp(app, '/notifications/v1/destinations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'eb',
          resourceSpecification: { eventBridge: { region: 'us-east-1', accountId: '123456789012' } },
        }),
      }),
    )) as { payload: { destinationId: string } };
    await expectValid(
      'notifications',
      '/notifications/v1/destinations',
      'get',
      await sp(app, '/notifications/v1/destinations'),
    );
    await expectValid(
      'notifications',
      '/notifications/v1/subscriptions/{notificationType}',
      'post',
      await sp(s, '/notifications/v1/subscriptions/ORDER_CHANGE', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ payloadVersion: '1.0', destinationId: dest.payload.destinationId }),
      }),
    );
    await expectValid(
      'notifications',
      '/notifications/v1/subscriptions/{notificationType}',
      'get',
      await sp(s, '/notifications/v1/subscriptions/ORDER_CHANGE'),
    );
    await control(`/sellers/${s.sellerId}/faults`, {});
  });
});

describe('contract validator', () => {
  it('rejects bodies that break the official schema', () => {
    expect(
      validateResponse('ordersV0', '/orders/v0/orders', 'get', 200, {
        payload: { Orders: [{ AmazonOrderId: 1 }] },
      }).length,
    ).toBeGreaterThan(0);
    expect(
      validateResponse('orders2026', '/orders/2026-01-01/orders', 'get', 200, { orders: [{ orderId: 'x' }] })
        .length,
    ).toBeGreaterThan(0);
    expect(
      validateResponse('reports', '/reports/2021-06-30/reports/{reportId}', 'get', 200, {
        reportId: '1',
        reportType: 'X',
        createdTime: 'now',
        processingStatus: 'DONE',
      }).length,
    ).toBeGreaterThan(0);
  });
});
