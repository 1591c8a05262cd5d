/** Rate (requests per second) and burst of each SP-API operation, from the official models' usage plans. */
export interface OperationLimit {
  rate: number;
  burst: number;
  /** The value Amazon sends in x-amzn-RateLimit-Limit. */
  header: string;
}

const op = (rate: number, burst: number): OperationLimit => ({ rate, burst, header: String(rate) });

export const SP_OPERATIONS = {
  getMarketplaceParticipations: op(0.016, 15),
  getAccount: op(0.016, 15),
  getOrdersV0: op(0.0167, 20),
  getOrderV0: op(0.5, 30),
  getOrderItemsV0: op(0.5, 30),
  searchOrders: op(0.0056, 20),
  getOrder: op(0.5, 30),
  createReport: op(0.0167, 15),
  getReports: op(0.0222, 10),
  getReport: op(2, 15),
  cancelReport: op(0.0222, 10),
  getReportDocument: op(0.0167, 15),
  getInventorySummaries: op(2, 2),
  listFinancialEventGroups: op(0.5, 30),
  listFinancialEvents: op(0.5, 30),
  listFinancialEventsByGroupId: op(0.5, 30),
  listFinancialEventsByOrderId: op(0.5, 30),
  listTransactions: op(0.5, 10),
  getPricing: op(0.5, 1),
  getCompetitivePricing: op(0.5, 1),
  getItemOffers: op(0.5, 1),
  getListingOffers: op(1, 2),
  getItemOffersBatch: op(0.1, 1),
  getListingOffersBatch: op(0.5, 1),
  getCompetitiveSummary: op(0.033, 1),
  getCatalogItem: op(2, 2),
  searchCatalogItems: op(2, 2),
  getListingsItem: op(5, 10),
  searchListingsItems: op(5, 5),
  createDestination: op(1, 5),
  getDestinations: op(1, 5),
  createSubscription: op(1, 5),
  getSubscription: op(1, 5),
  getSubscriptionById: op(1, 5),
  deleteSubscriptionById: op(1, 5),
  createRestrictedDataToken: op(1, 10),
} as const satisfies Record<string, OperationLimit>;

export type SpOperation = keyof typeof SP_OPERATIONS;

/** Ads API limits are not published; the sandbox uses a generous bucket so storms come from faults. */
export const ADS_LIMIT: OperationLimit = op(10, 20);
