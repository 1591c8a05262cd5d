import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { tenants } from '../../db/schema';

export interface CachedResult<T> {
  value: T;
  hit: boolean;
}

/**
 * Read-through KV cache for tenant views. Keys embed the tenant's data version, so invalidation is
 * a version bump in Postgres (strongly consistent) rather than a KV delete (eventually consistent).
 */
export async function cached<T>(
  kv: KVNamespace,
  key: string,
  ttlSeconds: number,
  compute: () => Promise<T>,
  waitUntil: (p: Promise<unknown>) => void,
): Promise<CachedResult<T>> {
  const entry = await kv.get<{ value: T; expiresAt: number }>(key, 'json');
  if (entry !== null && entry.expiresAt > Date.now()) return { value: entry.value, hit: true };
  const value = await compute();
  // KV's minimum TTL is 60 s; shorter snapshots (30 s realtime) carry their own expiry time.
  const stored = JSON.stringify({ value, expiresAt: Date.now() + ttlSeconds * 1000 });
  waitUntil(kv.put(key, stored, { expirationTtl: Math.max(60, ttlSeconds) }).catch(() => {}));
  return { value, hit: false };
}

/** `view:<tenant>:v<version>:<name>:<params>` with params in a stable order. */
export function tenantCacheKey(
  tenantId: string,
  dataVersion: number,
  view: string,
  params: Record<string, unknown> = {},
): string {
  const stable = Object.keys(params)
    .sort()
    .filter((k) => params[k] !== undefined)
    .map((k) => `${k}=${String(params[k])}`)
    .join('&');
  return `view:${tenantId}:v${dataVersion}:${view}:${stable}`;
}

/** Invalidates every cached view of the tenant (after a sync or an edit that changes numbers). */
export async function bumpDataVersion(db: Database, tenantId: string): Promise<void> {
  await db
    .update(tenants)
    .set({ dataVersion: sql`${tenants.dataVersion} + 1` })
    .where(eq(tenants.id, tenantId));
}
