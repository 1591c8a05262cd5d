// The parts of Amazon's SP-API response models the syncs read (see workers/amazon-sandbox/models/sp-api).

export interface Money2026 {
  amount: string;
  currencyCode: string;
}

export interface MarketplaceParticipation {
  marketplace: { id: string; name?: string; countryCode?: string; defaultCurrencyCode?: string };
  participation: { isParticipating: boolean; hasSuspendedListings?: boolean };
  storeName?: string;
}

export interface Breakdown2026 {
  type: string;
  subtotal: Money2026;
}

export interface OrderItem2026 {
  orderItemId: string;
  quantityOrdered: number;
  product: {
    asin: string;
    title?: string;
    sellerSku?: string;
    price?: { unitPrice?: Money2026 };
  };
  proceeds?: { proceedsTotal?: Money2026; breakdowns?: Breakdown2026[] };
}

export interface Order2026 {
  orderId: string;
  createdTime: string;
  lastUpdatedTime: string;
  programs?: string[];
  salesChannel: { channelName?: string; marketplaceId: string; marketplaceName?: string };
  recipient?: { deliveryAddress?: { city?: string; stateOrRegion?: string; countryCode?: string } };
  proceeds?: { grandTotal?: Money2026; breakdowns?: Breakdown2026[] };
  fulfillment?: {
    fulfillmentStatus?: string;
    fulfilledBy?: 'AMAZON' | 'MERCHANT';
    deliverByWindow?: { earliestDateTime?: string; latestDateTime?: string };
  };
  orderItems?: OrderItem2026[];
  packages?: { carrier?: string; trackingNumber?: string }[];
}

export interface SearchOrdersResponse {
  orders?: Order2026[];
  pagination?: { nextToken?: string };
}

export interface Report {
  reportId: string;
  reportType: string;
  processingStatus: 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'CANCELLED' | 'FATAL';
  reportDocumentId?: string;
  dataStartTime?: string;
  dataEndTime?: string;
  createdTime?: string;
  marketplaceIds?: string[];
}

export interface ReportDocument {
  reportDocumentId: string;
  url: string;
  compressionAlgorithm?: 'GZIP';
}

export interface InventorySummary {
  asin?: string;
  fnSku?: string;
  sellerSku?: string;
  productName?: string;
  totalQuantity?: number;
  lastUpdatedTime?: string;
  inventoryDetails?: {
    fulfillableQuantity?: number;
    inboundWorkingQuantity?: number;
    inboundShippedQuantity?: number;
    inboundReceivingQuantity?: number;
    reservedQuantity?: { totalReservedQuantity?: number };
    researchingQuantity?: { totalResearchingQuantity?: number };
    unfulfillableQuantity?: { totalUnfulfillableQuantity?: number };
  };
}

export interface InventorySummariesResponse {
  payload?: { inventorySummaries?: InventorySummary[] };
  pagination?: { nextToken?: string };
}

export interface MoneyV0 {
  CurrencyCode?: string;
  CurrencyAmount?: number;
  Amount?: string;
}

export interface ChargeComponent {
  ChargeType?: string;
  ChargeAmount?: MoneyV0;
}

export interface FeeComponent {
  FeeType?: string;
  FeeAmount?: MoneyV0;
}

export interface ShipmentItem {
  SellerSKU?: string;
  OrderItemId?: string;
  OrderAdjustmentItemId?: string;
  QuantityShipped?: number;
  ItemChargeList?: ChargeComponent[];
  ItemChargeAdjustmentList?: ChargeComponent[];
  ItemFeeList?: FeeComponent[];
  ItemFeeAdjustmentList?: FeeComponent[];
  ItemTaxWithheldList?: { TaxesWithheld?: ChargeComponent[] }[];
  PromotionList?: { PromotionType?: string; PromotionId?: string; PromotionAmount?: MoneyV0 }[];
  PromotionAdjustmentList?: { PromotionType?: string; PromotionId?: string; PromotionAmount?: MoneyV0 }[];
}

export interface ShipmentEvent {
  AmazonOrderId?: string;
  MarketplaceName?: string;
  PostedDate?: string;
  ShipmentItemList?: ShipmentItem[];
  ShipmentItemAdjustmentList?: ShipmentItem[];
}

export interface FinancialEvents {
  ShipmentEventList?: ShipmentEvent[];
  RefundEventList?: ShipmentEvent[];
  ServiceFeeEventList?: {
    AmazonOrderId?: string;
    FeeReason?: string;
    FeeList?: FeeComponent[];
    SellerSKU?: string;
    ASIN?: string;
    FeeDescription?: string;
  }[];
  ProductAdsPaymentEventList?: {
    postedDate?: string;
    transactionType?: string;
    invoiceId?: string;
    transactionValue?: MoneyV0;
  }[];
  AdjustmentEventList?: {
    AdjustmentType?: string;
    PostedDate?: string;
    AdjustmentAmount?: MoneyV0;
  }[];
}

export interface Transaction {
  transactionId?: string;
  transactionType?: string;
  transactionStatus?: string;
  description?: string;
  postedDate?: string;
  totalAmount?: { currencyCode?: string; currencyAmount?: number };
  marketplaceDetails?: { marketplaceId?: string };
  relatedIdentifiers?: { relatedIdentifierName?: string; relatedIdentifierValue?: string }[];
  breakdowns?: {
    breakdownType?: string;
    breakdownAmount?: { currencyCode?: string; currencyAmount?: number };
  }[];
}

export interface OfferV0 {
  SellerId?: string;
  MyOffer?: boolean;
  ListingPrice?: MoneyV0;
  Shipping?: MoneyV0;
  IsBuyBoxWinner?: boolean;
  IsFulfilledByAmazon?: boolean;
  SellerFeedbackRating?: { SellerPositiveFeedbackRating?: number };
}

export interface ItemOffersPayload {
  ASIN?: string;
  marketplaceId?: string;
  MarketplaceID?: string;
  status?: string;
  Summary?: {
    TotalOfferCount?: number;
    LowestPrices?: { LandedPrice?: MoneyV0; ListingPrice?: MoneyV0 }[];
    BuyBoxPrices?: { LandedPrice?: MoneyV0; ListingPrice?: MoneyV0; sellerId?: string }[];
    SalesRankings?: { ProductCategoryId?: string; Rank?: number }[];
  };
  Offers?: OfferV0[];
}

export interface ItemOffersBatchResponse {
  status?: { statusCode?: number };
  body?: { payload?: ItemOffersPayload; errors?: unknown[] };
  request?: { MarketplaceId?: string; Asin?: string };
}

export interface CatalogItem {
  asin: string;
  summaries?: {
    marketplaceId?: string;
    itemName?: string;
    brand?: string;
    browseClassification?: { displayName?: string };
  }[];
  images?: { marketplaceId?: string; images?: { link?: string; variant?: string }[] }[];
  salesRanks?: { marketplaceId?: string; displayGroupRanks?: { rank?: number }[] }[];
}
