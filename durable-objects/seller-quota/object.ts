import { DurableObject } from 'cloudflare:workers';
import { isSpOperation, SP_OPERATIONS } from '../../src/amazon/operations';
import type {
  AcquireRequest,
  AcquireResult,
  BucketState,
  OperationAcquire,
  OperationObservation,
  OperationState,
  Priority,
} from '../../src/amazon/quota';
import { acquireResult, TokenBuckets } from '../token-buckets';

const RANK: Record<Priority, number> = { high: 2, normal: 1, low: 0 };
/** Seconds added to every SP-API token period (see `limits`). */
const LATENCY_ALLOWANCE_S = 0.1;
/** SP-API operation buckets are named `sp:<operation>`; Ads buckets carry the Ads operation name. */
const SP_PREFIX = 'sp:';

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
 * The quota Amazon gives one seller account, shared by every isolate: SP-API operations with
 * priorities and learned rates, and plain buckets for the Ads API, whose limits are unpublished.
 * Objects are named in `./index.ts`.
 */
export class SellerQuota extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly buckets: TokenBuckets;
  /** Higher-priority callers told to wait, per bucket: lower priorities yield to them until then. */
  private readonly waiters = new Map<string, { rank: number; until: number }>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.buckets = new TokenBuckets(this.sql);
    this.sql.exec(
      `CREATE TABLE IF NOT EXISTS op_stats (
        operation TEXT PRIMARY KEY, learned_rate REAL, calls INTEGER NOT NULL DEFAULT 0,
        throttled INTEGER NOT NULL DEFAULT 0, server_errors INTEGER NOT NULL DEFAULT 0,
        last_status INTEGER, last_call_at INTEGER, last_429_at INTEGER
      )`,
    );
  }

  // --- Plain buckets (Ads API) ----------------------------------------------------------------

  /**
   * Takes `cost` tokens from a bucket at the caller's rate. Priority is not a reserve inside the
   * bucket (a slow-refilling bucket would starve backfills for minutes); callers with priorities
   * go through acquireOperation's queue of waiters.
   */
  acquire(req: AcquireRequest): AcquireResult {
    return this.buckets.acquire(req);
  }

  /** Empties a bucket after Amazon answered 429 although we thought tokens were left. */
  drain(bucket: string): void {
    this.buckets.drain(bucket);
  }

  /** Current state of every bucket, refilled to now. */
  state(): BucketState[] {
    return this.buckets.state();
  }

  // --- SP-API operations ----------------------------------------------------------------------

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
    const bucket = `${SP_PREFIX}${req.operation}`;
    const rank = RANK[req.priority ?? 'normal'];
    const cost = req.cost ?? 1;
    const now = Date.now();
    const waiter = this.waiters.get(bucket);
    if (waiter && waiter.until <= now) this.waiters.delete(bucket);
    const { effective: rate, burst } = this.limits(req.operation);
    const ahead = this.waiters.get(bucket);
    if (ahead && ahead.rank > rank) {
      const { tokens } = this.buckets.level(bucket, rate, burst, now);
      const waitMs = Math.max(ahead.until - now, Math.ceil((cost / rate) * 1000));
      return acquireResult({ tokens, rate, burst }, waitMs);
    }
    const result = this.buckets.acquire({ bucket, rate, burst, cost }, now);
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
      this.buckets.drain(`${SP_PREFIX}${obs.operation}`, { rate, burst }, now);
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
    for (const b of this.buckets.state(SP_PREFIX)) names.add(b.bucket.slice(SP_PREFIX.length));
    return [...names].sort().map((operation) => {
      const row = stats.get(operation);
      const { rate, burst, effective } = this.limits(operation);
      const bucket = this.buckets.level(`${SP_PREFIX}${operation}`, effective, burst, now);
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
}
