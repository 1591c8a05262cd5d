import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import {
  competitorOffers,
  financeEvents,
  inventoryHistory,
  notificationsReceived,
  orderItems,
  orders,
  priceHistory,
  products,
  productWindowMetrics,
  salesDaily,
  salesFeesDaily,
  salesGeoDaily,
  salesHourly,
  salesTenantDaily,
  salesWindowState,
  settlements,
  syncCursors,
  syncJobs,
  tenantMarketplaces,
  tenants,
} from '../../db/schema';
import type { TenantInfo } from '../context';

/**
 * Everything synced from Seller Central for a tenant, children before the tables they reference
 * (order items before orders, notifications before the sync jobs they point at). Advertising data
 * belongs to the separate Ads connection and stays.
 */
const SELLER_DATA_TABLES = [
  notificationsReceived,
  orderItems,
  orders,
  financeEvents,
  settlements,
  inventoryHistory,
  priceHistory,
  competitorOffers,
  products,
  salesDaily,
  salesHourly,
  salesGeoDaily,
  salesFeesDaily,
  salesTenantDaily,
  productWindowMetrics,
  salesWindowState,
  tenantMarketplaces,
] as const;

/**
 * Deletes the tenant's Seller Central data: the tables above plus the SP-API sync jobs and cursors
 * (the Ads ones stay). Run it inside the caller's transaction. Bumping the data version makes every
 * cached view miss at once, so no dashboard shows the deleted numbers again.
 */
export async function deleteSellerData(ctx: { db: Db; tenant: Pick<TenantInfo, 'id'> }): Promise<void> {
  const { db } = ctx;
  const tenantId = ctx.tenant.id;
  for (const table of SELLER_DATA_TABLES) await db.delete(table).where(eq(table.tenantId, tenantId));
  await db.delete(syncJobs).where(and(eq(syncJobs.tenantId, tenantId), ne(syncJobs.type, 'ads')));
  await db.delete(syncCursors).where(and(eq(syncCursors.tenantId, tenantId), ne(syncCursors.type, 'ads')));
  await db
    .update(tenants)
    .set({ dataVersion: sql`${tenants.dataVersion} + 1` })
    .where(eq(tenants.id, tenantId));
}
