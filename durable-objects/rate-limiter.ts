import { DurableObject } from 'cloudflare:workers';

export type Priority = 'high' | 'normal' | 'low';

export interface AcquireRequest {
  /** Bucket name inside this object, e.g. an SP-API operation or a client rate-limit rule. */
  bucket: string;
  /** Tokens added per second. */
  rate: number;
  /** Bucket size. */
  burst: number;
  cost?: number;
  /** Low-priority callers leave part of the bucket for higher-priority work. */
  priority?: Priority;
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

interface BucketRow extends Record<string, SqlStorageValue> {
  bucket: string;
  tokens: number;
  rate: number;
  burst: number;
  updated_at: number;
}

/** Share of the bucket a priority may not dip into: low keeps half for others, normal a quarter. */
const RESERVE: Record<Priority, number> = { high: 0, normal: 0.25, low: 0.5 };

/**
 * Exact token buckets shared by every isolate: one object per key (a seller for Amazon quotas,
 * a user or IP for API limits). Single-threaded per id, so check-and-take needs no locks;
 * state is in SQLite so an eviction loses nothing.
 */
export class RateLimiter extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(
      `CREATE TABLE IF NOT EXISTS buckets (
        bucket TEXT PRIMARY KEY, tokens REAL NOT NULL, rate REAL NOT NULL, burst REAL NOT NULL, updated_at INTEGER NOT NULL
      )`,
    );
  }

  private load(bucket: string, rate: number, burst: number, now: number): BucketRow {
    const row = this.sql.exec<BucketRow>('SELECT * FROM buckets WHERE bucket = ?', bucket).toArray()[0];
    if (!row) return { bucket, tokens: burst, rate, burst, updated_at: now };
    const elapsed = Math.max(0, now - row.updated_at) / 1000;
    return { ...row, tokens: Math.min(row.burst, row.tokens + elapsed * row.rate) };
  }

  private save(row: BucketRow): void {
    this.sql.exec(
      `INSERT INTO buckets (bucket, tokens, rate, burst, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(bucket) DO UPDATE SET tokens = excluded.tokens, rate = excluded.rate,
         burst = excluded.burst, updated_at = excluded.updated_at`,
      row.bucket,
      row.tokens,
      row.rate,
      row.burst,
      row.updated_at,
    );
  }

  /** Takes `cost` tokens if they are there; otherwise says how long to wait. */
  acquire(req: AcquireRequest): AcquireResult {
    const now = Date.now();
    const cost = req.cost ?? 1;
    const row = this.load(req.bucket, req.rate, req.burst, now);
    // Callers may learn a new rate (e.g. from x-amzn-RateLimit-Limit) between calls.
    row.rate = req.rate;
    row.burst = req.burst;
    row.tokens = Math.min(row.tokens, row.burst);
    row.updated_at = now;
    const reserve = Math.min(row.burst - cost, row.burst * RESERVE[req.priority ?? 'normal']);
    const available = row.tokens - Math.max(0, reserve);
    if (available >= cost) {
      row.tokens -= cost;
      this.save(row);
      return {
        granted: true,
        waitMs: 0,
        remaining: Math.floor(row.tokens),
        limit: row.burst,
        resetMs: Math.ceil(((row.burst - row.tokens) / row.rate) * 1000),
      };
    }
    this.save(row);
    return {
      granted: false,
      waitMs: Math.ceil(((cost - available) / row.rate) * 1000),
      remaining: Math.max(0, Math.floor(row.tokens)),
      limit: row.burst,
      resetMs: Math.ceil(((row.burst - row.tokens) / row.rate) * 1000),
    };
  }

  /** Empties a bucket, e.g. after Amazon answered 429 although we thought tokens were left. */
  drain(bucket: string): void {
    const now = Date.now();
    const row = this.sql.exec<BucketRow>('SELECT * FROM buckets WHERE bucket = ?', bucket).toArray()[0];
    if (row) this.save({ ...row, tokens: 0, updated_at: now });
  }

  /** Current state of every bucket, refilled to now. */
  state(): BucketState[] {
    const now = Date.now();
    return this.sql
      .exec<BucketRow>('SELECT * FROM buckets ORDER BY bucket')
      .toArray()
      .map((row) => {
        const filled = this.load(row.bucket, row.rate, row.burst, now);
        return {
          bucket: row.bucket,
          tokens: filled.tokens,
          rate: row.rate,
          burst: row.burst,
          updatedAt: now,
        };
      });
  }
}
