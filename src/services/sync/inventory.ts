import { and, eq, sql } from 'drizzle-orm';
import { reportRows, requestReport, waitForReport } from '../../amazon/reports';
import { queryRows } from '../../db/client';
import { inventoryHistory, type NewProduct, products } from '../../db/schema';
import { upsertRows } from '../../db/upsert';
import { fromUnits, toUnits } from '../../lib/money';
import { type AlertInput, raiseAlerts, resolveAlerts } from '../alerts/raise';
import type { SyncContext, SyncOutcome } from './context';

export const LISTINGS_REPORT = 'GET_MERCHANT_LISTINGS_ALL_DATA';

interface StockRow {
  asin: string;
  marketplaceId: string;
  sku: string | null;
  title?: string | null;
  price?: string | null;
  currency?: string | null;
  channel?: 'FBA' | 'FBM';
  listingStatus?: string | null;
  fulfillable: number;
  fbm: number;
  inbound: number;
  reserved: number;
  unfulfillable: number;
  total: number;
}

const key = (asin: string, mp: string) => `${asin}\u0000${mp}`;

/** Tenant-local calendar day for the daily snapshot. */
export function localDay(timezone: string, at = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** FBM quantities (and every listing's title, price, status) from the merchant listings report. */
async function listings(
  ctx: SyncContext,
  marketplaceId: string,
  into: Map<string, StockRow>,
  currency: string | null,
) {
  const target = ctx.job.target ?? {};
  const remembered = (target.listingReports as Record<string, string> | undefined) ?? {};
  let reportId = remembered[marketplaceId];
  if (!reportId) {
    reportId = await requestReport(ctx.sp, { reportType: LISTINGS_REPORT, marketplaceIds: [marketplaceId] });
    await ctx.remember({ listingReports: { ...remembered, [marketplaceId]: reportId } });
  }
  const documentId = await waitForReport(ctx.sp, reportId, ctx.tuning.poll);
  for await (const row of reportRows(ctx.sp, documentId, ctx.fetcher)) {
    const asin = row.asin1 || row['product-id'];
    if (!asin) continue;
    const fbm = row['fulfillment-channel'] === 'DEFAULT';
    const qty = Number.parseInt(row.quantity ?? '', 10);
    const existing = into.get(key(asin, marketplaceId));
    const base: StockRow = existing ?? {
      asin,
      marketplaceId,
      sku: null,
      fulfillable: 0,
      fbm: 0,
      inbound: 0,
      reserved: 0,
      unfulfillable: 0,
      total: 0,
    };
    base.sku = row['seller-sku'] || base.sku;
    base.title = row['item-name'] || null;
    base.price = row.price ? fromUnits(toUnits(row.price), 2) : null;
    base.currency = currency;
    base.channel = fbm ? 'FBM' : 'FBA';
    base.listingStatus = row.status || null;
    if (fbm && Number.isFinite(qty)) {
      base.fbm = qty;
      base.total = base.total + qty;
    }
    into.set(key(asin, marketplaceId), base);
  }
}

async function fbaSummaries(
  ctx: SyncContext,
  marketplaceId: string,
  into: Map<string, StockRow>,
  skus?: string[],
) {
  for await (const page of ctx.sp.getInventorySummaries(marketplaceId, skus)) {
    for (const s of page) {
      if (!s.asin) continue;
      const d = s.inventoryDetails ?? {};
      const existing = into.get(key(s.asin, marketplaceId));
      const row: StockRow = existing ?? {
        asin: s.asin,
        marketplaceId,
        sku: s.sellerSku ?? null,
        fulfillable: 0,
        fbm: 0,
        inbound: 0,
        reserved: 0,
        unfulfillable: 0,
        total: 0,
      };
      row.sku = row.sku ?? s.sellerSku ?? null;
      row.title = row.title ?? s.productName ?? null;
      row.channel = 'FBA';
      row.fulfillable = d.fulfillableQuantity ?? 0;
      row.inbound =
        (d.inboundWorkingQuantity ?? 0) + (d.inboundShippedQuantity ?? 0) + (d.inboundReceivingQuantity ?? 0);
      row.reserved = d.reservedQuantity?.totalReservedQuantity ?? 0;
      row.unfulfillable = d.unfulfillableQuantity?.totalUnfulfillableQuantity ?? 0;
      row.total =
        (s.totalQuantity ?? row.fulfillable + row.inbound + row.reserved + row.unfulfillable) + row.fbm;
      into.set(key(s.asin, marketplaceId), row);
    }
  }
}

async function writeStock(ctx: SyncContext, rows: StockRow[], full: boolean): Promise<void> {
  const now = new Date();
  const values: NewProduct[] = rows.map((r) => ({
    tenantId: ctx.tenantId,
    asin: r.asin,
    marketplaceId: r.marketplaceId,
    sku: r.sku,
    title: r.title ?? null,
    price: r.price ?? null,
    currency: r.currency ?? null,
    fulfillmentChannel: r.channel ?? null,
    listingStatus: r.listingStatus ?? null,
    isActive: r.listingStatus ? r.listingStatus === 'Active' : true,
    fbaStock: r.fulfillable,
    fbmStock: r.fbm,
    inboundStock: r.inbound,
    reservedStock: r.reserved,
    totalStock: r.fulfillable + r.fbm,
    lastSyncAt: now,
  }));
  const stock = [
    'fbaStock',
    'fbmStock',
    'inboundStock',
    'reservedStock',
    'totalStock',
    'lastSyncAt',
  ] as const;
  await upsertRows(ctx.db, products, values, {
    target: [products.tenantId, products.asin, products.marketplaceId],
    update: full
      ? ['sku', 'title', 'price', 'currency', 'fulfillmentChannel', 'listingStatus', 'isActive', ...stock]
      : stock,
  });
  const day = localDay(ctx.timezone, now);
  await upsertRows(
    ctx.db,
    inventoryHistory,
    rows.map((r) => ({
      tenantId: ctx.tenantId,
      asin: r.asin,
      marketplaceId: r.marketplaceId,
      sku: r.sku,
      date: day,
      fulfillable: r.fulfillable + r.fbm,
      inbound: r.inbound,
      reserved: r.reserved,
      unfulfillable: r.unfulfillable,
      total: r.total,
    })),
    {
      target: [
        inventoryHistory.tenantId,
        inventoryHistory.asin,
        inventoryHistory.marketplaceId,
        inventoryHistory.date,
      ],
      update: ['sku', 'fulfillable', 'inbound', 'reserved', 'unfulfillable', 'total'],
    },
  );
}

/** Low-stock rule: the user's min_stock_alert per product, evaluated in SQL after the write. */
export async function evaluateStockAlerts(ctx: Pick<SyncContext, 'db' | 'tenantId'>): Promise<number> {
  const rows = await queryRows<{
    asin: string;
    marketplace_id: string;
    title: string | null;
    total_stock: number;
    min_stock_alert: number | null;
  }>(
    ctx.db,
    sql`SELECT asin, marketplace_id, title, total_stock, min_stock_alert FROM products
        WHERE tenant_id = ${ctx.tenantId} AND is_active AND min_stock_alert IS NOT NULL`,
  );
  const low: AlertInput[] = [];
  const ok: string[] = [];
  for (const r of rows) {
    const dedupeKey = `STOCK_LOW:${r.asin}:${r.marketplace_id}`;
    if (Number(r.total_stock) < Number(r.min_stock_alert)) {
      const out = Number(r.total_stock) === 0;
      low.push({
        type: out ? 'STOCK_OUT' : 'STOCK_LOW',
        severity: out ? 'critical' : 'high',
        title: `${out ? 'Out of stock' : 'Low stock'}: ${r.title ?? r.asin}`,
        message: `Only ${r.total_stock} units remaining (alert below ${r.min_stock_alert})`,
        asin: r.asin,
        marketplaceId: r.marketplace_id,
        data: { totalStock: Number(r.total_stock), minStockAlert: Number(r.min_stock_alert) },
        dedupeKey,
      });
    } else ok.push(dedupeKey);
  }
  await resolveAlerts(ctx.db, ctx.tenantId, ok, 'Stock back above the alert level');
  return raiseAlerts(ctx.db, ctx.tenantId, low);
}

export async function syncInventory(ctx: SyncContext): Promise<SyncOutcome> {
  const target = ctx.job.target ?? {};
  const sku = typeof target.sku === 'string' ? target.sku : undefined;
  const marketplaces = typeof target.marketplaceId === 'string' ? [target.marketplaceId] : ctx.marketplaceIds;
  const currencies = await queryRows<{ id: string; currency: string }>(
    ctx.db,
    sql`SELECT id, currency FROM marketplaces`,
  );
  const currencyOf = new Map(currencies.map((c) => [c.id, c.currency]));
  const rows = new Map<string, StockRow>();
  let done = 0;
  for (const mp of marketplaces) {
    if (!sku) await listings(ctx, mp, rows, currencyOf.get(mp) ?? null);
    await fbaSummaries(ctx, mp, rows, sku ? [sku] : undefined);
    await ctx.progress((++done / marketplaces.length) * 90, rows.size);
  }
  if (sku) {
    // A targeted refresh keeps the FBM quantity already known for that listing.
    const known = await ctx.db
      .select({ asin: products.asin, marketplaceId: products.marketplaceId, fbm: products.fbmStock })
      .from(products)
      .where(and(eq(products.tenantId, ctx.tenantId), eq(products.sku, sku)));
    for (const k of known) {
      const r = rows.get(key(k.asin, k.marketplaceId));
      if (r) {
        r.fbm = k.fbm;
        r.total += k.fbm;
      }
    }
  }
  await writeStock(ctx, [...rows.values()], !sku);
  await evaluateStockAlerts(ctx);
  return { records: rows.size, errors: 0, warnings: [] };
}
