import { DurableObject } from 'cloudflare:workers';
import { isSpOperation, SP_OPERATIONS } from '../src/amazon/operations';
import type {
  AcquireRequest,
  AcquireResult,
  BucketState,
  OperationAcquire,
  OperationObservation,
  OperationState,
  Priority,
} from '../src/amazon/quota';
import { type AccessTokenRequest, type AccessTokenResult, TokenCache } from '../src/amazon/token-cache';

interface BucketRow extends Record<string, SqlStorageValue> {
  bucket: string;
  tokens: number;
  rate: number;
  burst: number;
  updated_at: number;
}

const RANK: Record<Priority, number> = { high: 2, normal: 1, low: 0 };
/** Seconds added to every SP-API token period (see `limits`). */
const LATENCY_ALLOWANCE_S = 0.1;

interface StatsRow extends Record<string, SqlStorageValue> {
  operation: string;
  learned_rate: number | null;
  calls: number;
  throttled: number;
  server_errors: number;
  last_status: number | null;
  last_call_at: number | null;
  last_429_at: number | null;
}

/**
 * Exact token buckets shared by every isolate: one object per key (a seller for Amazon quotas,
 * a user or IP for API limits). Single-threaded per id, so check-and-take needs no locks;
 * state is in SQLite so an eviction loses nothing.
 */
export class RateLimiter extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** Higher-priority callers told to wait, per bucket: lower priorities yield to them until then. */
  private readonly waiters = new Map<string, { rank: number; until: number }>();
  private tokens?: TokenCache;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(
      `CREATE TABLE IF NOT EXISTS buckets (
        bucket TEXT PRIMARY KEY, tokens REAL NOT NULL, rate REAL NOT NULL, burst REAL NOT NULL, updated_at INTEGER NOT NULL
      )`,
    );
    this.sql.exec(
      `CREATE TABLE IF NOT EXISTS op_stats (
        operation TEXT PRIMARY KEY, learned_rate REAL, calls INTEGER NOT NULL DEFAULT 0,
        throttled INTEGER NOT NULL DEFAULT 0, server_errors INTEGER NOT NULL DEFAULT 0,
        last_status INTEGER, last_call_at INTEGER, last_429_at INTEGER
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
    // Priority is not a reserve inside the bucket (a slow-refilling bucket would starve backfills
    // for minutes); callers with priorities go through acquireOperation's queue of waiters.
    const available = row.tokens;
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

  // --- SP-API operations (one object per seller) --------------------------------------------

  private stats(operation: string): StatsRow | undefined {
    return this.sql.exec<StatsRow>('SELECT * FROM op_stats WHERE operation = ?', operation).toArray()[0];
  }

  /**
   * Amazon's rate for the operation, and the rate we hand tokens out at: each token period is
   * stretched by a latency allowance, because a call granted here reaches Amazon a little later
   * than the previous one did, and Amazon's bucket must never see two calls closer than its period.
   */
  private limits(operation: string): { rate: number; burst: number; effective: number } {
    const base = isSpOperation(operation) ? SP_OPERATIONS[operation] : { rate: 1, burst: 1 };
    const learned = this.stats(operation)?.learned_rate;
    const rate = learned && learned > 0 ? learned : base.rate;
    return { rate, burst: base.burst, effective: 1 / (1 / rate + LATENCY_ALLOWANCE_S) };
  }

  /**
   * Asks for one call of an SP-API operation. Manual and notification work (high) goes ahead of
   * scheduled work (normal) and backfills (low): once a higher priority has been told to wait, lower
   * priorities are refused until that caller's turn has passed, so a backfill cannot take the token
   * a manual sync is waiting for.
   */
  acquireOperation(req: OperationAcquire): AcquireResult {
    const bucket = `sp:${req.operation}`;
    const priority = req.priority ?? 'normal';
    const rank = RANK[priority];
    const now = Date.now();
    const waiter = this.waiters.get(bucket);
    if (waiter && waiter.until <= now) this.waiters.delete(bucket);
    const { effective: rate, burst } = this.limits(req.operation);
    const ahead = this.waiters.get(bucket);
    if (ahead && ahead.rank > rank) {
      const row = this.load(bucket, rate, burst, now);
      return {
        granted: false,
        waitMs: Math.max(ahead.until - now, Math.ceil(((req.cost ?? 1) / rate) * 1000)),
        remaining: Math.floor(row.tokens),
        limit: burst,
        resetMs: Math.ceil(((burst - row.tokens) / rate) * 1000),
      };
    }
    const result = this.acquire({ bucket, rate, burst, cost: req.cost ?? 1 });
    if (result.granted) {
      if (ahead && ahead.rank === rank) this.waiters.delete(bucket);
    } else if (!ahead || ahead.rank <= rank) {
      // A grace second past the refill so the waiting caller has time to come back for it.
      this.waiters.set(bucket, { rank, until: now + result.waitMs + 1000 });
    }
    return result;
  }

  /** Records an answer: adapts to x-amzn-RateLimit-Limit and empties the bucket on a 429. */
  observe(obs: OperationObservation): void {
    const now = Date.now();
    const row = this.stats(obs.operation);
    const learned = obs.rateLimit ? Number.parseFloat(obs.rateLimit) : Number.NaN;
    const base = isSpOperation(obs.operation) ? SP_OPERATIONS[obs.operation].rate : null;
    const learnedRate =
      Number.isFinite(learned) && learned > 0
        ? learned === base
          ? null
          : learned
        : (row?.learned_rate ?? null);
    this.sql.exec(
      `INSERT INTO op_stats (operation, learned_rate, calls, throttled, server_errors, last_status, last_call_at, last_429_at)
       VALUES (?, ?, 1, ?, ?, ?, ?, ?)
       ON CONFLICT(operation) DO UPDATE SET learned_rate = excluded.learned_rate, calls = calls + 1,
         throttled = throttled + excluded.throttled, server_errors = server_errors + excluded.server_errors,
         last_status = excluded.last_status, last_call_at = excluded.last_call_at,
         last_429_at = COALESCE(excluded.last_429_at, op_stats.last_429_at)`,
      obs.operation,
      learnedRate,
      obs.status === 429 ? 1 : 0,
      obs.status >= 500 ? 1 : 0,
      obs.status,
      now,
      obs.status === 429 ? now : null,
    );
    if (obs.status === 429) {
      const { effective: rate, burst } = this.limits(obs.operation);
      const bucket = `sp:${obs.operation}`;
      const current = this.load(bucket, rate, burst, now);
      this.save({ ...current, tokens: 0, rate, burst, updated_at: now });
    }
  }

  /** Per-operation buckets and counters for /api/sync/status (every operation used so far). */
  operations(): OperationState[] {
    const now = Date.now();
    const stats = new Map(
      this.sql
        .exec<StatsRow>('SELECT * FROM op_stats')
        .toArray()
        .map((r) => [r.operation, r]),
    );
    const names = new Set(stats.keys());
    for (const b of this.sql
      .exec<{ bucket: string }>("SELECT bucket FROM buckets WHERE bucket LIKE 'sp:%'")
      .toArray())
      names.add(b.bucket.slice(3));
    return [...names].sort().map((operation) => {
      const row = stats.get(operation);
      const { rate, burst, effective } = this.limits(operation);
      const bucket = this.load(`sp:${operation}`, effective, burst, now);
      return {
        operation,
        tokens: Math.floor(bucket.tokens * 100) / 100,
        rate,
        burst,
        learnedRate: row?.learned_rate ?? null,
        calls: row?.calls ?? 0,
        throttled: row?.throttled ?? 0,
        serverErrors: row?.server_errors ?? 0,
        lastStatus: row?.last_status ?? null,
        lastCallAt: row?.last_call_at ? new Date(row.last_call_at).toISOString() : null,
        last429At: row?.last_429_at ? new Date(row.last_429_at).toISOString() : null,
      };
    });
  }

  /**
   * LWA access token for one credential, shared by every isolate that works for this seller:
   * one refresh for the whole fleet, reused until 60 s before it expires.
   */
  accessToken(req: AccessTokenRequest): Promise<AccessTokenResult> {
    this.tokens ??= new TokenCache(this.env as unknown as { TOKEN_ENCRYPTION_KEYS: string });
    return this.tokens.get(req);
  }

  /** How many LWA refreshes this object performed (tests and status). */
  tokenRefreshes(): number {
    return this.tokens?.refreshes ?? 0;
  }
}
