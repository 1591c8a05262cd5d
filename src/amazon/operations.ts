/**
 * SP-API operations we call, with Amazon's default rate (requests/s) and burst from each model's
 * usage plan (workers/amazon-sandbox/models/README.md). The limiter starts from these and adapts to the
 * x-amzn-RateLimit-Limit header Amazon sends for the seller + application pair.
 */
export const SP_OPERATIONS = {
  getMarketplaceParticipations: { rate: 0.016, burst: 15 },
  searchOrders: { rate: 0.0056, burst: 20 },
  getOrder: { rate: 0.5, burst: 30 },
  createReport: { rate: 0.0167, burst: 15 },
  getReports: { rate: 0.0222, burst: 10 },
  getReport: { rate: 2, burst: 15 },
  getReportDocument: { rate: 0.0167, burst: 15 },
  getInventorySummaries: { rate: 2, burst: 2 },
  listFinancialEvents: { rate: 0.5, burst: 30 },
  listFinancialEventsByOrderId: { rate: 0.5, burst: 30 },
  listTransactions: { rate: 0.5, burst: 10 },
  getItemOffers: { rate: 0.5, burst: 1 },
  getItemOffersBatch: { rate: 0.1, burst: 1 },
  getListingOffers: { rate: 1, burst: 2 },
  getCompetitiveSummary: { rate: 0.033, burst: 1 },
  getCatalogItem: { rate: 2, burst: 2 },
  getListingsItem: { rate: 5, burst: 10 },
  searchListingsItems: { rate: 5, burst: 5 },
  getDestinations: { rate: 1, burst: 5 },
  createDestination: { rate: 1, burst: 5 },
  createSubscription: { rate: 1, burst: 5 },
  getSubscription: { rate: 1, burst: 5 },
  deleteSubscriptionById: { rate: 1, burst: 5 },
} as const satisfies Record<string, { rate: number; burst: number }>;

export type SpOperation = keyof typeof SP_OPERATIONS;

export const isSpOperation = (name: string): name is SpOperation => name in SP_OPERATIONS;

/** Ads API limits are dynamic and unpublished; this bucket only smooths our own bursts. */
export const ADS_OPERATION = { rate: 5, burst: 10 } as const;
