import { AmazonError } from './errors';
import {
  type AccessTokenSource,
  type ApiRequest,
  buildUrl,
  callWithRetries,
  DEFAULT_RETRY,
  type QuotaGate,
  type RetryPolicy,
} from './http';
import type { SpOperation } from './operations';
import type { Priority } from './quota';
import type * as T from './sp-types';

export interface SpApiConfig {
  baseUrl: string;
  tokens: AccessTokenSource;
  gate: QuotaGate;
  priority: Priority;
  policy?: RetryPolicy;
  fetcher?: typeof fetch;
  wait?: (ms: number) => Promise<void>;
}

/** Typed SP-API calls, one method per operation; every call goes through the seller's quota. */
export class SpApiClient {
  constructor(readonly config: SpApiConfig) {}

  async call<R>(operation: SpOperation, req: ApiRequest): Promise<R> {
    const doFetch = this.config.fetcher ?? fetch;
    const url = buildUrl(this.config.baseUrl, req.path, req.query);
    const res = await callWithRetries({
      operation,
      priority: this.config.priority,
      gate: this.config.gate,
      policy: this.config.policy ?? DEFAULT_RETRY,
      tokens: this.config.tokens,
      ...(this.config.wait ? { wait: this.config.wait } : {}),
      send: (token, signal) =>
        doFetch(url, {
          method: req.method ?? 'GET',
          signal,
          headers: {
            'x-amz-access-token': token,
            accept: 'application/json',
            ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...req.headers,
          },
          ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
        }),
    });
    const body = await res.json().catch(() => {
      throw new AmazonError('transient', `${operation}: response was not JSON`, res.status);
    });
    // Typed by the caller from the operation's model (src/amazon/sp-types.ts); not validated here.
    return body as R;
  }

  getMarketplaceParticipations() {
    return this.call<{ payload: T.MarketplaceParticipation[] }>('getMarketplaceParticipations', {
      path: '/sellers/v1/marketplaceParticipations',
    });
  }

  /**
   * Orders 2026-01-01 searchOrders: exactly one of createdAfter / lastUpdatedAfter; the next page is
   * requested with paginationToken alone (URLSearchParams encodes it), as Amazon requires.
   */
  async *searchOrders(query: {
    lastUpdatedAfter?: string;
    lastUpdatedBefore?: string;
    createdAfter?: string;
    createdBefore?: string;
    marketplaceIds: readonly string[];
  }): AsyncGenerator<T.Order2026[]> {
    let token: string | undefined;
    do {
      const page: T.SearchOrdersResponse = await this.call('searchOrders', {
        path: '/orders/2026-01-01/orders',
        query: token
          ? { paginationToken: token }
          : {
              ...query,
              marketplaceIds: query.marketplaceIds,
              maxResultsPerPage: 100,
              includedData: ['PROCEEDS', 'FULFILLMENT', 'RECIPIENT', 'PACKAGES', 'PROMOTION'],
            },
      });
      yield page.orders ?? [];
      token = page.pagination?.nextToken;
    } while (token);
  }

  getOrder(orderId: string) {
    return this.call<{ order: T.Order2026 }>('getOrder', {
      path: `/orders/2026-01-01/orders/${encodeURIComponent(orderId)}`,
      query: { includedData: ['PROCEEDS', 'FULFILLMENT', 'RECIPIENT', 'PACKAGES', 'PROMOTION'] },
    });
  }

  createReport(body: {
    reportType: string;
    marketplaceIds: readonly string[];
    dataStartTime?: string;
    dataEndTime?: string;
  }) {
    return this.call<{ reportId: string }>('createReport', {
      method: 'POST',
      path: '/reports/2021-06-30/reports',
      body,
    });
  }

  getReport(reportId: string) {
    return this.call<T.Report>('getReport', {
      path: `/reports/2021-06-30/reports/${encodeURIComponent(reportId)}`,
    });
  }

  async *getReports(query: {
    reportTypes: readonly string[];
    processingStatuses?: readonly string[];
    createdSince?: string;
    marketplaceIds?: readonly string[];
  }): AsyncGenerator<T.Report[]> {
    let token: string | undefined;
    do {
      const page: { reports: T.Report[]; nextToken?: string } = await this.call('getReports', {
        path: '/reports/2021-06-30/reports',
        query: token ? { nextToken: token } : { ...query, pageSize: 100 },
      });
      yield page.reports ?? [];
      token = page.nextToken;
    } while (token);
  }

  getReportDocument(documentId: string) {
    return this.call<T.ReportDocument>('getReportDocument', {
      path: `/reports/2021-06-30/documents/${encodeURIComponent(documentId)}`,
    });
  }

  async *getInventorySummaries(
    marketplaceId: string,
    sellerSkus?: readonly string[],
  ): AsyncGenerator<T.InventorySummary[]> {
    let token: string | undefined;
    do {
      const page: T.InventorySummariesResponse = await this.call('getInventorySummaries', {
        path: '/fba/inventory/v1/summaries',
        query: {
          details: true,
          granularityType: 'Marketplace',
          granularityId: marketplaceId,
          marketplaceIds: [marketplaceId],
          ...(sellerSkus?.length ? { sellerSkus } : {}),
          ...(token ? { nextToken: token } : {}),
        },
      });
      yield page.payload?.inventorySummaries ?? [];
      token = page.pagination?.nextToken;
    } while (token);
  }

  /** Finances v0; NextToken is sent alone on later pages. */
  async *listFinancialEvents(query: {
    PostedAfter: string;
    PostedBefore?: string;
  }): AsyncGenerator<T.FinancialEvents> {
    let token: string | undefined;
    do {
      const page: { payload?: { FinancialEvents?: T.FinancialEvents; NextToken?: string } } = await this.call(
        'listFinancialEvents',
        {
          path: '/finances/v0/financialEvents',
          query: token ? { NextToken: token } : { ...query, MaxResultsPerPage: 100 },
        },
      );
      yield page.payload?.FinancialEvents ?? {};
      token = page.payload?.NextToken;
    } while (token);
  }

  listFinancialEventsByOrderId(orderId: string) {
    return this.call<{ payload?: { FinancialEvents?: T.FinancialEvents } }>('listFinancialEventsByOrderId', {
      path: `/finances/v0/orders/${encodeURIComponent(orderId)}/financialEvents`,
    });
  }

  async *listTransactions(query: {
    postedAfter: string;
    postedBefore?: string;
    marketplaceId?: string;
  }): AsyncGenerator<T.Transaction[]> {
    let token: string | undefined;
    do {
      const page: { payload?: { transactions?: T.Transaction[]; nextToken?: string } } = await this.call(
        'listTransactions',
        { path: '/finances/2024-06-19/transactions', query: token ? { nextToken: token } : query },
      );
      yield page.payload?.transactions ?? [];
      token = page.payload?.nextToken;
    } while (token);
  }

  getItemOffers(asin: string, marketplaceId: string) {
    return this.call<{ payload?: T.ItemOffersPayload }>('getItemOffers', {
      path: `/products/pricing/v0/items/${encodeURIComponent(asin)}/offers`,
      query: { MarketplaceId: marketplaceId, ItemCondition: 'New' },
    });
  }

  /** Up to 20 ASINs per call. */
  getItemOffersBatch(items: readonly { asin: string; marketplaceId: string }[]) {
    return this.call<{ responses: T.ItemOffersBatchResponse[] }>('getItemOffersBatch', {
      method: 'POST',
      path: '/batches/products/pricing/v0/itemOffers',
      body: {
        requests: items.map((i) => ({
          uri: `/products/pricing/v0/items/${i.asin}/offers`,
          method: 'GET',
          MarketplaceId: i.marketplaceId,
          ItemCondition: 'New',
        })),
      },
    });
  }

  getCatalogItem(asin: string, marketplaceId: string) {
    return this.call<T.CatalogItem>('getCatalogItem', {
      path: `/catalog/2022-04-01/items/${encodeURIComponent(asin)}`,
      query: { marketplaceIds: [marketplaceId], includedData: ['summaries', 'images', 'salesRanks'] },
    });
  }

  /**
   * Listings Items searchListingsItems. Amazon answers 403 when `sellerId` is not the seller that
   * granted the access token, which makes one small page a proof of who the token belongs to.
   */
  searchListingsItems(sellerId: string, query: { marketplaceId: string; pageSize?: number }) {
    return this.call<{ numberOfResults: number }>('searchListingsItems', {
      path: `/listings/2021-08-01/items/${encodeURIComponent(sellerId)}`,
      query: { marketplaceIds: [query.marketplaceId], pageSize: query.pageSize ?? 1 },
    });
  }

  getDestinations() {
    return this.call<{ payload?: { destinationId: string; name: string; resource: unknown }[] }>(
      'getDestinations',
      {
        path: '/notifications/v1/destinations',
      },
    );
  }

  createDestination(name: string, resource: unknown) {
    return this.call<{ payload?: { destinationId: string } }>('createDestination', {
      method: 'POST',
      path: '/notifications/v1/destinations',
      body: { name, resourceSpecification: resource },
    });
  }

  createSubscription(notificationType: string, destinationId: string, payloadVersion = '1.0') {
    return this.call<{ payload?: { subscriptionId: string; destinationId: string } }>('createSubscription', {
      method: 'POST',
      path: `/notifications/v1/subscriptions/${encodeURIComponent(notificationType)}`,
      body: { payloadVersion, destinationId },
    });
  }

  getSubscription(notificationType: string) {
    return this.call<{ payload?: { subscriptionId: string; destinationId: string } }>('getSubscription', {
      path: `/notifications/v1/subscriptions/${encodeURIComponent(notificationType)}`,
    });
  }

  /** Grantless: removes one of the application's subscriptions (notifications stop at once). */
  deleteSubscriptionById(notificationType: string, subscriptionId: string) {
    return this.call<{ errors?: unknown[] }>('deleteSubscriptionById', {
      method: 'DELETE',
      path: `/notifications/v1/subscriptions/${encodeURIComponent(notificationType)}/${encodeURIComponent(subscriptionId)}`,
    });
  }
}
