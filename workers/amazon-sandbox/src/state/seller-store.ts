import { DurableObject } from 'cloudflare:workers';
import { newAccessToken, newAuthCode, newRefreshToken } from '../lib/tokens';
import { completionMs } from '../reports/status';
import { FAULT_KEYS, type Faults } from './faults';
import type {
  Destination,
  GateResult,
  NotificationTarget,
  RateLimitMode,
  SellerConfig,
  StoredAdsReport,
  StoredReport,
  Subscription,
  TokenPair,
} from './types';

const ACCESS_TTL_S = 3600;
const CODE_TTL_MS = 5 * 60_000;

type TokenRow = { token: string; kind: string; expires_ms: number; revoked: number; meta: string };

/**
 * All mutable state of one sandbox seller (or of the grantless application), one SQLite DO each,
 * and its RPC surface. The Worker binds the subclass `SellerState` (`seller-state.ts`), which sends
 * the notifications; this class knows nothing of the Worker's env or of notification delivery, so
 * the env can type its namespace by this class without an import cycle through `notify/`.
 */
export abstract class SellerStore<Env = unknown> extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, kind TEXT NOT NULL, expires_ms INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0, meta TEXT NOT NULL DEFAULT '');
      CREATE TABLE IF NOT EXISTS buckets (op TEXT PRIMARY KEY, tokens REAL NOT NULL, updated_ms INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS reports (id TEXT PRIMARY KEY, created_ms INTEGER NOT NULL, json TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS ads_reports (id TEXT PRIMARY KEY, json TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS ads_overrides (kind TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (kind, id));
      CREATE TABLE IF NOT EXISTS subscriptions (type TEXT PRIMARY KEY, json TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS destinations (id TEXT PRIMARY KEY, json TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS sent (seq INTEGER PRIMARY KEY AUTOINCREMENT, json TEXT NOT NULL);
    `);
  }

  private get<T>(key: string, fallback: T): T {
    const row = this.sql.exec<{ value: string }>('SELECT value FROM kv WHERE key = ?', key).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : fallback;
  }

  private put(key: string, value: unknown): void {
    this.sql.exec('INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)', key, JSON.stringify(value));
  }

  private bump(name: string, by = 1): void {
    this.sql.exec(
      'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = value + excluded.value',
      name,
      by,
    );
  }

  // --- configuration -------------------------------------------------------------------------

  config(): SellerConfig {
    return {
      size: this.get('size', undefined),
      faults: this.get<Faults>('faults', {}),
      extraOrders: this.get<number[]>('extraOrders', []),
      priceChanges: this.get('priceChanges', []),
    };
  }

  setSize(size: SellerConfig['size']): void {
    this.put('size', size ?? null);
  }

  setFaults(patch: Faults, replace = false): Faults {
    const current = replace ? {} : this.get<Faults>('faults', {});
    const next: Record<string, unknown> = { ...current };
    for (const key of FAULT_KEYS) if (key in patch) next[key] = patch[key];
    this.put('faults', next);
    return next as Faults;
  }

  addOrder(atMs: number): void {
    const list = this.get<number[]>('extraOrders', []);
    list.push(atMs);
    this.put('extraOrders', list);
  }

  addPriceChange(change: SellerConfig['priceChanges'][number]): void {
    const list = this.get<SellerConfig['priceChanges']>('priceChanges', []);
    list.push(change);
    this.put('priceChanges', list);
  }

  counters(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const row of this.sql.exec<{ name: string; value: number }>('SELECT name, value FROM counters')) {
      out[row.name] = row.value;
    }
    return out;
  }

  count(name: string, by = 1): void {
    this.bump(name, by);
  }

  // --- Login with Amazon -------------------------------------------------------------------

  issueAuthCode(owner: string, redirectUri: string): string {
    const code = newAuthCode(owner);
    this.sql.exec(
      'INSERT INTO tokens (token, kind, expires_ms, meta) VALUES (?, ?, ?, ?)',
      code,
      'code',
      Date.now() + CODE_TTL_MS,
      redirectUri,
    );
    return code;
  }

  private row(token: string): TokenRow | undefined {
    return this.sql.exec<TokenRow>('SELECT * FROM tokens WHERE token = ?', token).toArray()[0];
  }

  private issueAccess(owner: string, kind = 'access', meta = ''): string {
    const token = newAccessToken(owner);
    this.sql.exec(
      'INSERT INTO tokens (token, kind, expires_ms, meta) VALUES (?, ?, ?, ?)',
      token,
      kind,
      Date.now() + ACCESS_TTL_S * 1000,
      meta,
    );
    this.bump('lwa.accessTokensIssued');
    return token;
  }

  /** authorization_code grant. `undefined` means invalid_grant. */
  redeemAuthCode(owner: string, code: string, redirectUri: string | undefined): TokenPair | undefined {
    const row = this.row(code);
    if (row?.kind !== 'code' || row.revoked || row.expires_ms < Date.now()) return undefined;
    if (redirectUri !== undefined && row.meta && row.meta !== redirectUri) return undefined;
    this.sql.exec('UPDATE tokens SET revoked = 1 WHERE token = ?', code);
    const refresh = newRefreshToken(owner);
    this.sql.exec(
      'INSERT INTO tokens (token, kind, expires_ms) VALUES (?, ?, ?)',
      refresh,
      'refresh',
      Number.MAX_SAFE_INTEGER,
    );
    return {
      access_token: this.issueAccess(owner),
      refresh_token: refresh,
      token_type: 'bearer',
      expires_in: ACCESS_TTL_S,
    };
  }

  /** refresh_token grant; the refresh-token fault makes every refresh token fail as Amazon's would. */
  refresh(
    owner: string,
    refreshToken: string,
  ): { access_token: string; token_type: 'bearer'; expires_in: number } | { error: string } {
    const fault = this.get<Faults>('faults', {}).refreshToken;
    if (fault === 'EXPIRED') return { error: 'The refresh token has expired.' };
    if (fault === 'REVOKED') return { error: 'The request has an invalid grant parameter : refresh_token' };
    const row = this.row(refreshToken);
    // Refresh tokens issued before this DO existed (e.g. a dev restart) are accepted when well-formed:
    // the sandbox has no persistent app registry, so this keeps a developer's stored token usable.
    if (row && (row.kind !== 'refresh' || row.revoked))
      return { error: 'The request has an invalid grant parameter : refresh_token' };
    if (!row) {
      this.sql.exec(
        'INSERT INTO tokens (token, kind, expires_ms) VALUES (?, ?, ?)',
        refreshToken,
        'refresh',
        Number.MAX_SAFE_INTEGER,
      );
    }
    return { access_token: this.issueAccess(owner), token_type: 'bearer', expires_in: ACCESS_TTL_S };
  }

  grantless(scope: string): {
    access_token: string;
    token_type: 'bearer';
    expires_in: number;
    scope: string;
  } {
    return {
      access_token: this.issueAccess(this.ctx.id.name ?? 'app', 'grantless', scope),
      token_type: 'bearer',
      expires_in: ACCESS_TTL_S,
      scope,
    };
  }

  revokeRefreshTokens(): number {
    const cursor = this.sql.exec("UPDATE tokens SET revoked = 1 WHERE kind = 'refresh'");
    return cursor.rowsWritten;
  }

  /** Expires every access token now (lets a client rehearse the 403 Unauthorized path). */
  expireAccessTokens(): void {
    this.sql.exec("UPDATE tokens SET expires_ms = ? WHERE kind IN ('access', 'grantless')", Date.now() - 1);
  }

  // --- gate for every API call -------------------------------------------------------------

  /**
   * One round trip per API call: checks the access token, applies faults, spends a rate-limit
   * token and counts the request.
   */
  gate(input: {
    token: string;
    op: string;
    rate: number;
    burst: number;
    nowMs: number;
    allowGrantless?: boolean;
    defaultMode?: RateLimitMode['mode'];
  }): GateResult {
    const row = this.row(input.token);
    const okKinds = input.allowGrantless ? ['access', 'grantless'] : ['access'];
    if (!row || !okKinds.includes(row.kind)) {
      this.bump('responses.403');
      return {
        kind: 'unauthorized',
        message: 'The access token you provided is revoked, malformed or invalid.',
      };
    }
    if (row.expires_ms < input.nowMs) {
      this.bump('responses.403');
      return { kind: 'unauthorized', message: 'The access token you provided has expired.' };
    }
    this.bump(`requests.${input.op}`);
    this.bump('requests.total');
    const faults = this.get<Faults>('faults', {});
    if (faults.throttleNext && faults.throttleNext > 0) {
      this.put('faults', { ...faults, throttleNext: faults.throttleNext - 1 });
      this.bump('responses.429');
      this.bump(`responses.429.${input.op}`);
      return { kind: 'throttled' };
    }
    if (faults.serverErrorNext && faults.serverErrorNext > 0) {
      this.put('faults', { ...faults, serverErrorNext: faults.serverErrorNext - 1 });
      const status = faults.serverErrorStatus ?? 500;
      this.bump(`responses.${status}`);
      return { kind: 'error', status };
    }
    const limits = this.get<RateLimitMode | null>('rateLimitMode', null) ?? {
      mode: input.defaultMode ?? 'official',
    };
    const rate = limits.mode === 'sandbox' ? 5 : input.rate * (limits.scale ?? 1);
    const burst = limits.mode === 'sandbox' ? 15 : input.burst;
    if (limits.mode !== 'off' && !this.spend(input.op, rate, burst, input.nowMs)) {
      this.bump('responses.429');
      this.bump(`responses.429.${input.op}`);
      return { kind: 'throttled' };
    }
    return { kind: 'ok', slowMs: faults.slowMs ?? 0, config: this.config(), appliedRate: rate };
  }

  private spend(op: string, rate: number, burst: number, nowMs: number): boolean {
    const row = this.sql
      .exec<{ tokens: number; updated_ms: number }>('SELECT tokens, updated_ms FROM buckets WHERE op = ?', op)
      .toArray()[0];
    const elapsed = row ? Math.max(0, nowMs - row.updated_ms) / 1000 : 0;
    const available = row ? Math.min(burst, row.tokens + elapsed * rate) : burst;
    if (available < 1) {
      this.sql.exec(
        'INSERT OR REPLACE INTO buckets (op, tokens, updated_ms) VALUES (?, ?, ?)',
        op,
        available,
        nowMs,
      );
      return false;
    }
    this.sql.exec(
      'INSERT OR REPLACE INTO buckets (op, tokens, updated_ms) VALUES (?, ?, ?)',
      op,
      available - 1,
      nowMs,
    );
    return true;
  }

  setRateLimitMode(mode: RateLimitMode | null): void {
    this.put('rateLimitMode', mode);
    this.sql.exec('DELETE FROM buckets');
  }

  rateLimitMode(): RateLimitMode | null {
    return this.get<RateLimitMode | null>('rateLimitMode', null);
  }

  resetBuckets(): void {
    this.sql.exec('DELETE FROM buckets');
  }

  // --- reports -----------------------------------------------------------------------------

  async createReport(
    sellerId: string,
    report: Omit<StoredReport, 'reportId' | 'outcome'>,
  ): Promise<StoredReport> {
    this.put('sellerId', sellerId);
    const seq = this.get<number>('reportSeq', 0) + 1;
    this.put('reportSeq', seq);
    const faults = this.get<Faults>('faults', {});
    const stored: StoredReport = {
      ...report,
      reportId: String(50_000_000_000 + seq * 7919),
      outcome: faults.reportOutcome ?? 'DONE',
    };
    this.sql.exec(
      'INSERT INTO reports (id, created_ms, json) VALUES (?, ?, ?)',
      stored.reportId,
      stored.createdMs,
      JSON.stringify(stored),
    );
    this.bump('reports.created');
    // REPORT_PROCESSING_FINISHED goes out from an alarm when the report reaches its final state.
    if (
      stored.outcome !== 'NEVER_FINISH' &&
      (this.subscription('REPORT_PROCESSING_FINISHED') || this.target())
    ) {
      const at = completionMs(stored);
      const current = await this.ctx.storage.getAlarm();
      if (current === null || at < current) await this.ctx.storage.setAlarm(at);
    }
    return stored;
  }

  /** Sends REPORT_PROCESSING_FINISHED for reports that just reached their final state. */
  protected abstract reportsFinished(sellerId: string, reports: StoredReport[]): Promise<void>;

  override async alarm(): Promise<void> {
    const sellerId = this.get<string | null>('sellerId', null);
    if (!sellerId) return;
    const now = Date.now();
    const notified = new Set(this.get<string[]>('reportsNotified', []));
    const due = this.reports().filter((r) => r.outcome !== 'NEVER_FINISH' && !notified.has(r.reportId));
    const ready = due.filter((r) => completionMs(r) <= now);
    for (const r of ready) notified.add(r.reportId);
    this.put('reportsNotified', [...notified]);
    if (ready.length > 0) await this.reportsFinished(sellerId, ready);
    const next = due.filter((r) => completionMs(r) > now).map(completionMs);
    if (next.length > 0) await this.ctx.storage.setAlarm(Math.min(...next));
  }

  report(reportId: string): StoredReport | undefined {
    const row = this.sql
      .exec<{ json: string }>('SELECT json FROM reports WHERE id = ?', reportId)
      .toArray()[0];
    return row ? (JSON.parse(row.json) as StoredReport) : undefined;
  }

  reports(): StoredReport[] {
    return this.sql
      .exec<{ json: string }>('SELECT json FROM reports ORDER BY created_ms DESC')
      .toArray()
      .map((r) => JSON.parse(r.json) as StoredReport);
  }

  cancelReport(reportId: string, nowMs: number): StoredReport | undefined {
    const report = this.report(reportId);
    if (!report) return undefined;
    report.cancelledMs = nowMs;
    this.sql.exec('UPDATE reports SET json = ? WHERE id = ?', JSON.stringify(report), reportId);
    return report;
  }

  // --- Ads ---------------------------------------------------------------------------------

  adsOverrides(kind: string): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const row of this.sql.exec<{ id: string; json: string }>(
      'SELECT id, json FROM ads_overrides WHERE kind = ?',
      kind,
    )) {
      out[row.id] = JSON.parse(row.json) as Record<string, unknown>;
    }
    return out;
  }

  setAdsOverride(kind: string, id: string, patch: Record<string, unknown>): void {
    const current = this.adsOverrides(kind)[id] ?? {};
    this.sql.exec(
      'INSERT OR REPLACE INTO ads_overrides (kind, id, json) VALUES (?, ?, ?)',
      kind,
      id,
      JSON.stringify({ ...current, ...patch }),
    );
  }

  createAdsReport(report: Omit<StoredAdsReport, 'reportId'>): StoredAdsReport {
    const stored: StoredAdsReport = { ...report, reportId: crypto.randomUUID() };
    this.sql.exec(
      'INSERT INTO ads_reports (id, json) VALUES (?, ?)',
      stored.reportId,
      JSON.stringify(stored),
    );
    return stored;
  }

  adsReport(id: string): StoredAdsReport | undefined {
    const row = this.sql.exec<{ json: string }>('SELECT json FROM ads_reports WHERE id = ?', id).toArray()[0];
    return row ? (JSON.parse(row.json) as StoredAdsReport) : undefined;
  }

  // --- notifications -----------------------------------------------------------------------

  setTarget(target: NotificationTarget | null): void {
    this.put('target', target);
  }

  target(): NotificationTarget | null {
    return this.get<NotificationTarget | null>('target', null);
  }

  createDestination(name: string, resource: Record<string, unknown>): Destination {
    const destination: Destination = { destinationId: crypto.randomUUID(), name, resource };
    this.sql.exec(
      'INSERT INTO destinations (id, json) VALUES (?, ?)',
      destination.destinationId,
      JSON.stringify(destination),
    );
    return destination;
  }

  destinations(): Destination[] {
    return this.sql
      .exec<{ json: string }>('SELECT json FROM destinations')
      .toArray()
      .map((r) => JSON.parse(r.json) as Destination);
  }

  createSubscription(
    notificationType: string,
    destinationId: string,
    payloadVersion: string,
  ): Subscription | { conflict: Subscription } {
    const existing = this.subscription(notificationType);
    if (existing) return { conflict: existing };
    const sub: Subscription = {
      subscriptionId: crypto.randomUUID(),
      notificationType,
      destinationId,
      payloadVersion,
    };
    this.sql.exec(
      'INSERT INTO subscriptions (type, json) VALUES (?, ?)',
      notificationType,
      JSON.stringify(sub),
    );
    return sub;
  }

  subscription(notificationType: string): Subscription | undefined {
    const row = this.sql
      .exec<{ json: string }>('SELECT json FROM subscriptions WHERE type = ?', notificationType)
      .toArray()[0];
    return row ? (JSON.parse(row.json) as Subscription) : undefined;
  }

  /** Deletes the seller's subscription of that type when it has that id; false when there is none. */
  deleteSubscription(notificationType: string, subscriptionId: string): boolean {
    if (this.subscription(notificationType)?.subscriptionId !== subscriptionId) return false;
    this.sql.exec('DELETE FROM subscriptions WHERE type = ?', notificationType);
    return true;
  }

  /** Small named values (destination targets, inbox entries) kept next to the seller's state. */
  getValue(key: string): unknown {
    return this.get<unknown>(`v:${key}`, null);
  }

  setValue(key: string, value: unknown): void {
    this.put(`v:${key}`, value);
  }

  appendInbox(name: string, entry: unknown): void {
    const list = this.get<unknown[]>(`inbox:${name}`, []);
    list.push(entry);
    this.put(`inbox:${name}`, list);
  }

  inbox(name: string): unknown[] {
    return this.get<unknown[]>(`inbox:${name}`, []);
  }

  destination(id: string): Destination | undefined {
    const row = this.sql
      .exec<{ json: string }>('SELECT json FROM destinations WHERE id = ?', id)
      .toArray()[0];
    return row ? (JSON.parse(row.json) as Destination) : undefined;
  }

  recordSent(entry: unknown): void {
    this.sql.exec('INSERT INTO sent (json) VALUES (?)', JSON.stringify(entry));
    this.bump('notifications.sent');
  }

  sent(): unknown[] {
    return this.sql
      .exec<{ json: string }>('SELECT json FROM sent ORDER BY seq')
      .toArray()
      .map((r) => JSON.parse(r.json) as unknown);
  }
}
