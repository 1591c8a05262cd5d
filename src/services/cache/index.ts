import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { tenants } from '../../db/schema';
import type { AppEnv } from '../../env';
import type { TenantInfo } from '../context';

export interface CachedResult<T> {
  value: T;
  hit: boolean;
}

export interface ViewCacheContext {
  env: Pick<AppEnv, 'CACHE'>;
  tenant: Pick<TenantInfo, 'id' | 'dataVersion'>;
  /** Keeps the KV write alive after the response is sent (the request's `waitUntil`). */
  waitUntil: (promise: Promise<unknown>) => void;
}

export interface CachedViewInput<T> {
  view: string;
  params: Record<string, unknown>;
  ttlSeconds: number;
  compute: () => Promise<T>;
}

/**
 * Read-through KV cache for tenant views. Keys embed the tenant's data version, so invalidation is
 * a version bump in Postgres (strongly consistent) rather than a KV delete (eventually consistent).
 */
export async function cachedView<T>(
  ctx: ViewCacheContext,
  { view, params, ttlSeconds, compute }: CachedViewInput<T>,
): Promise<CachedResult<T>> {
  const kv = ctx.env.CACHE;
  const key = viewCacheKey(ctx.tenant, view, params);
  const entry = await kv.get<{ value: T; expiresAt: number }>(key, 'json');
  if (entry !== null && entry.expiresAt > Date.now()) return { value: entry.value, hit: true };
  const value = await compute();
  // KV's minimum TTL is 60 s; shorter snapshots (30 s realtime) carry their own expiry time.
  const stored = JSON.stringify({ value, expiresAt: Date.now() + ttlSeconds * 1000 });
  ctx.waitUntil(kv.put(key, stored, { expirationTtl: Math.max(60, ttlSeconds) }).catch(() => {}));
  return { value, hit: false };
}

/** `view:<tenant>:v<version>:<name>:<params>` with params in a stable order. */
function viewCacheKey(
  tenant: Pick<TenantInfo, 'id' | 'dataVersion'>,
  view: string,
  params: Record<string, unknown>,
): string {
  const stable = Object.keys(params)
    .sort()
    .filter((k) => params[k] !== undefined)
    .map((k) => `${k}=${String(params[k])}`)
    .join('&');
  return `view:${tenant.id}:v${tenant.dataVersion}:${view}:${stable}`;
}

export interface DataVersionContext {
  db: Db;
  tenant: Pick<TenantInfo, 'id'>;
}

/** Invalidates every cached view of the tenant (after a sync or an edit that changes numbers). */
export async function bumpDataVersion(ctx: DataVersionContext): Promise<void>;
/** @deprecated Pass a context: `bumpDataVersion(ctx)`. Kept until the sync and product callers move. */
export async function bumpDataVersion(db: Db, tenantId: string): Promise<void>;
export async function bumpDataVersion(...args: [DataVersionContext] | [Db, string]): Promise<void> {
  const [db, tenantId] = args.length === 1 ? [args[0].db, args[0].tenant.id] : args;
  await db
    .update(tenants)
    .set({ dataVersion: sql`${tenants.dataVersion} + 1` })
    .where(eq(tenants.id, tenantId));
}
