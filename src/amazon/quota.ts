/**
 * The vocabulary of token buckets and Amazon quotas, shared by the Durable Objects that hand out
 * tokens (SellerQuota, ClientRateLimiter) and their callers.
 */

export type Priority = 'high' | 'normal' | 'low';

export interface AcquireRequest {
  /** Bucket name inside the object, e.g. an Ads operation or a client rate-limit rule. */
  bucket: string;
  /** Tokens added per second. */
  rate: number;
  /** Bucket size. */
  burst: number;
  cost?: number;
}

export interface AcquireResult {
  granted: boolean;
  /** Milliseconds to wait before the tokens will be there (0 when granted). */
  waitMs: number;
  remaining: number;
  limit: number;
  /** Milliseconds until the bucket is full again. */
  resetMs: number;
}

export interface BucketState {
  bucket: string;
  tokens: number;
  rate: number;
  burst: number;
  updatedAt: number;
}

export interface OperationAcquire {
  operation: string;
  priority?: Priority;
  cost?: number;
}

export interface OperationObservation {
  operation: string;
  status: number;
  /** x-amzn-RateLimit-Limit as received (requests per second). */
  rateLimit?: string | null;
}

export interface OperationState {
  operation: string;
  tokens: number;
  rate: number;
  burst: number;
  /** Rate learned from x-amzn-RateLimit-Limit, when it differs from the documented default. */
  learnedRate: number | null;
  calls: number;
  throttled: number;
  serverErrors: number;
  lastStatus: number | null;
  lastCallAt: string | null;
  last429At: string | null;
}
