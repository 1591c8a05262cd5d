import { DurableObject } from 'cloudflare:workers';
import type { AcquireRequest, AcquireResult, BucketState } from '../../src/amazon/quota';
import { TokenBuckets } from '../token-buckets';

/**
 * Exact token buckets for one API client, one bucket per rule (general API, credential endpoints,
 * manual syncs). Every isolate in every colo sees the same count, which the Workers rate-limiting
 * binding (per colo, approximate) cannot promise. Objects are named in `./index.ts`.
 */
export class ClientRateLimiter extends DurableObject<Env> {
  private readonly buckets = new TokenBuckets(this.ctx.storage.sql);

  /** Takes `cost` tokens if they are there; otherwise says how long to wait. */
  acquire(req: AcquireRequest): AcquireResult {
    return this.buckets.acquire(req);
  }

  /**
   * Takes `cost` tokens under the rule already stored with the bucket; `req`'s rate and burst only
   * start a new bucket. The per-user limit counts this way before it knows the user's plan.
   */
  acquireWithStoredRule(req: AcquireRequest): AcquireResult {
    const { rate, burst } = this.buckets.level(req.bucket, req.rate, req.burst, Date.now());
    return this.buckets.acquire({ ...req, rate, burst });
  }

  /** Empties a bucket (tests use it to reach the limit without sending every request). */
  drain(bucket: string): void {
    this.buckets.drain(bucket);
  }

  /** Current state of every bucket, refilled to now. */
  state(): BucketState[] {
    return this.buckets.state();
  }
}
