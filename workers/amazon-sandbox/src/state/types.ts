import type { PriceChange, SellerSize } from '../data/seller';
import type { Faults } from './faults';

export interface SellerConfig {
  size?: Partial<SellerSize>;
  faults: Faults;
  extraOrders: number[];
  priceChanges: PriceChange[];
}

export type GateResult =
  | { kind: 'ok'; slowMs: number; config: SellerConfig; appliedRate: number }
  | { kind: 'unauthorized'; message: string }
  | { kind: 'throttled' }
  | { kind: 'error'; status: 500 | 503 };

export interface StoredReport {
  reportId: string;
  reportType: string;
  marketplaceIds: string[];
  dataStartTime?: string;
  dataEndTime?: string;
  createdMs: number;
  /** An order report over the range limit: DONE, with Amazon's one-line message for a document. */
  rangeExceeded?: boolean;
  /** Amazon had nothing to report: the report ends CANCELLED with no document (unless a fault says otherwise). */
  noData?: boolean;
  outcome: 'DONE' | 'FATAL' | 'CANCELLED' | 'NEVER_FINISH';
  cancelledMs?: number;
  queueSeconds: number;
  processingSeconds: number;
  options?: Record<string, string>;
}

export interface StoredAdsReport {
  reportId: string;
  name: string;
  startDate: string;
  endDate: string;
  configuration: Record<string, unknown>;
  createdMs: number;
  readySeconds: number;
}

export interface NotificationTarget {
  url: string;
  headerName: string;
  headerValue: string;
}

export interface Subscription {
  subscriptionId: string;
  notificationType: string;
  destinationId: string;
  payloadVersion: string;
}

export interface Destination {
  destinationId: string;
  name: string;
  resource: Record<string, unknown>;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  expires_in: number;
}

/**
 * How a seller's token buckets are sized: Amazon's official per-operation limits (optionally with
 * the rate multiplied, for fast sync tests), Amazon's sandbox limits (5/s, burst 15), or none.
 */
export interface RateLimitMode {
  mode: 'official' | 'sandbox' | 'off';
  scale?: number;
}
