import { inArray } from 'drizzle-orm';
import { marketplaces } from '../../db/schema';
import type { SyncContext } from './engine/context';

/**
 * The connection's marketplaces that are Amazon stores, in the connection's order. A seller's
 * participations also list channels that are not stores (the "Non-Amazon" Multi-Channel Fulfillment
 * channel, regional test stores): they have no orders, listings or reports, and Amazon refuses
 * report requests for them. The stores are the marketplaces of the reference table.
 */
export async function retailMarketplaceIds(ctx: Pick<SyncContext, 'db' | 'credential'>): Promise<string[]> {
  const ids = ctx.credential.marketplaceIds;
  if (ids.length === 0) return [];
  const stores = await ctx.db
    .select({ id: marketplaces.id })
    .from(marketplaces)
    .where(inArray(marketplaces.id, ids));
  const known = new Set(stores.map((s) => s.id));
  return ids.filter((id) => known.has(id));
}
