import type { AcquireRequest, AcquireResult, BucketState } from '../src/amazon/quota';

interface BucketRow extends Record<string, SqlStorageValue> {
  bucket: string;
  tokens: number;
  rate: number;
  burst: number;
  updated_at: number;
}

/** A bucket's level and limits at one instant. */
export interface BucketLevel {
  tokens: number;
  /** Tokens added per second. */
  rate: number;
  burst: number;
}

/** Milliseconds until the bucket is full again. */
export function resetMs(level: BucketLevel): number {
  return Math.ceil(((level.burst - level.tokens) / level.rate) * 1000);
}

/** What a caller is told: granted (waitMs 0) or how long to wait, with the bucket's level. */
export function acquireResult(level: BucketLevel, waitMs = 0): AcquireResult {
  return {
    granted: waitMs === 0,
    waitMs,
    remaining: Math.max(0, Math.floor(level.tokens)),
    limit: level.burst,
    resetMs: resetMs(level),
  };
}

/**
 * Exact token buckets in a Durable Object's SQLite storage, used by the objects that hand out
 * tokens. The object is single-threaded, so check-and-take needs no locks; the state is in SQLite
 * so an eviction loses nothing.
 */
export class TokenBuckets {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(
      `CREATE TABLE IF NOT EXISTS buckets (
        bucket TEXT PRIMARY KEY, tokens REAL NOT NULL, rate REAL NOT NULL, burst REAL NOT NULL, updated_at INTEGER NOT NULL
      )`,
    );
  }

  private row(bucket: string): BucketRow | undefined {
    return this.sql.exec<BucketRow>('SELECT * FROM buckets WHERE bucket = ?', bucket).toArray()[0];
  }

  /** The bucket refilled to `now` at its stored rate; a bucket never used starts full. */
  level(bucket: string, rate: number, burst: number, now: number): BucketLevel {
    const row = this.row(bucket);
    if (!row) return { tokens: burst, rate, burst };
    const elapsed = Math.max(0, now - row.updated_at) / 1000;
    return { tokens: Math.min(row.burst, row.tokens + elapsed * row.rate), rate: row.rate, burst: row.burst };
  }

  private save(bucket: string, level: BucketLevel, now: number): void {
    this.sql.exec(
      `INSERT INTO buckets (bucket, tokens, rate, burst, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(bucket) DO UPDATE SET tokens = excluded.tokens, rate = excluded.rate,
         burst = excluded.burst, updated_at = excluded.updated_at`,
      bucket,
      level.tokens,
      level.rate,
      level.burst,
      now,
    );
  }

  /** Takes `cost` tokens if they are there; otherwise says how long to wait. */
  acquire(req: AcquireRequest, now = Date.now()): AcquireResult {
    const cost = req.cost ?? 1;
    // Callers may learn a new rate (e.g. from x-amzn-RateLimit-Limit) between calls.
    const { tokens } = this.level(req.bucket, req.rate, req.burst, now);
    const level = { tokens: Math.min(tokens, req.burst), rate: req.rate, burst: req.burst };
    const waitMs = level.tokens >= cost ? 0 : Math.ceil(((cost - level.tokens) / level.rate) * 1000);
    if (waitMs === 0) level.tokens -= cost;
    this.save(req.bucket, level, now);
    return acquireResult(level, waitMs);
  }

  /**
   * Empties a bucket, e.g. after Amazon answered 429 although we thought tokens were left. With
   * `limits` the bucket is created if needed and takes those limits; without, only a bucket that
   * exists is emptied.
   */
  drain(bucket: string, limits?: { rate: number; burst: number }, now = Date.now()): void {
    const current = this.row(bucket);
    const rate = limits?.rate ?? current?.rate;
    const burst = limits?.burst ?? current?.burst;
    if (rate === undefined || burst === undefined) return;
    this.save(bucket, { tokens: 0, rate, burst }, now);
  }

  /** Every bucket whose name starts with `prefix`, refilled to now. */
  state(prefix = ''): BucketState[] {
    const now = Date.now();
    return this.sql
      .exec<BucketRow>(
        'SELECT * FROM buckets WHERE substr(bucket, 1, ?) = ? ORDER BY bucket',
        prefix.length,
        prefix,
      )
      .toArray()
      .map((row) => ({
        bucket: row.bucket,
        tokens: this.level(row.bucket, row.rate, row.burst, now).tokens,
        rate: row.rate,
        burst: row.burst,
        updatedAt: now,
      }));
  }
}
