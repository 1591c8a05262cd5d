// Small, explicit seeders for the seller-view tests. Each returns what it inserted so tests can add
// up their own expected numbers.
import { env } from 'cloudflare:workers';
import {
  adCampaigns,
  adGroups,
  adKeywords,
  adMetricsDaily,
  adMetricsHourly,
  alerts,
  competitorOffers,
  financeEvents,
  inventoryHistory,
  orderItems,
  orders,
  priceHistory,
  products,
} from '../../../src/db/schema';
import { createLogger } from '../../../src/lib/logger';
import type { TenantContext } from '../../../src/services/context';
import { refreshSalesRollups } from '../../../src/services/rollups';
import { loadTenantContext } from '../../../src/services/tenant/context';
import { testDb } from '../harness';

export const US = 'ATVPDKIKX0DER';
export const DE = 'A1PA6795UKMFR9';

let seq = 0;
const next = () => `${Date.now().toString(36)}${(seq++).toString(36)}`.toUpperCase();

/** A random 10-character ASIN (B0 + 8). */
export const newAsin = () =>
  `B0${next()
    .replace(/[^A-Z0-9]/g, '')
    .slice(-8)
    .padStart(8, '0')}`;
export const newOrderId = () =>
  `111-${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}-${String(seq++).padStart(7, '0')}`;

export type ProductSeed = Partial<typeof products.$inferInsert> & { asin?: string };

export async function seedProduct(tenantId: string, p: ProductSeed = {}) {
  const [row] = await testDb()
    .insert(products)
    .values({
      tenantId,
      asin: p.asin ?? newAsin(),
      marketplaceId: US,
      sku: `SKU-${next()}`,
      title: 'Test product',
      currency: 'USD',
      price: '20.00',
      ...p,
    })
    .returning();
  return row!;
}

export interface ItemSeed {
  asin: string;
  quantity: number;
  itemPrice: string;
  promotionDiscount?: string;
  itemTax?: string;
  referralFee?: string;
  fbaFee?: string;
  otherFees?: string;
  feeStatus?: 'estimated' | 'settled';
  currency?: string;
}

export interface OrderSeed {
  amazonOrderId?: string;
  purchaseDate: Date;
  marketplaceId?: string;
  status?: (typeof orders.$inferInsert)['orderStatus'];
  fulfillmentChannel?: 'AFN' | 'MFN';
  currency?: string;
  orderTotal?: string;
  country?: string | null;
  state?: string | null;
  cityHash?: string | null;
  trackingNumber?: string;
  carrier?: string;
  items: ItemSeed[];
}

export async function seedOrder(tenantId: string, o: OrderSeed) {
  const amazonOrderId = o.amazonOrderId ?? newOrderId();
  const currency = o.currency ?? 'USD';
  await testDb()
    .insert(orders)
    .values({
      tenantId,
      amazonOrderId,
      marketplaceId: o.marketplaceId ?? US,
      purchaseDate: o.purchaseDate,
      lastUpdateDate: o.purchaseDate,
      orderStatus: o.status ?? 'Shipped',
      fulfillmentChannel: o.fulfillmentChannel ?? 'AFN',
      orderTotal: o.orderTotal ?? o.items.reduce((a, i) => a + Number(i.itemPrice), 0).toFixed(2),
      currency,
      numberOfItems: o.items.reduce((a, i) => a + i.quantity, 0),
      shipCountryCode: o.country === undefined ? 'US' : o.country,
      shipStateCode: o.state === undefined ? 'CA' : o.state,
      shipCityHash: o.cityHash === undefined ? 'hash-of-city' : o.cityHash,
      trackingNumber: o.trackingNumber ?? null,
      carrier: o.carrier ?? null,
    });
  if (o.items.length)
    await testDb()
      .insert(orderItems)
      .values(
        o.items.map((i, n) => ({
          tenantId,
          amazonOrderId,
          orderItemId: `${amazonOrderId}-${n}`,
          asin: i.asin,
          sku: `SKU-${i.asin}`,
          title: `Item ${i.asin}`,
          quantity: i.quantity,
          itemPrice: i.itemPrice,
          itemTax: i.itemTax ?? '0',
          promotionDiscount: i.promotionDiscount ?? '0',
          referralFee: i.referralFee ?? null,
          fbaFee: i.fbaFee ?? null,
          otherFees: i.otherFees ?? null,
          feeStatus: i.feeStatus ?? 'estimated',
          currency: i.currency ?? currency,
        })),
      );
  return { amazonOrderId, ...o };
}

export type FinanceSeed = Partial<typeof financeEvents.$inferInsert> &
  Pick<typeof financeEvents.$inferInsert, 'amount' | 'category' | 'postedDate'>;

export async function seedFinanceEvents(tenantId: string, events: FinanceSeed[]) {
  if (!events.length) return [];
  return testDb()
    .insert(financeEvents)
    .values(
      events.map((e) => ({
        tenantId,
        eventId: `ev-${next()}`,
        source: 'transactions' as const,
        eventType: 'Shipment',
        currency: 'USD',
        marketplaceId: US,
        ...e,
      })),
    )
    .returning();
}

export async function seedAdTree(
  tenantId: string,
  c: {
    campaignId: string;
    name: string;
    state?: 'enabled' | 'paused' | 'archived';
    type?: 'SP' | 'SB' | 'SD';
    profileId?: string;
  },
) {
  await testDb()
    .insert(adCampaigns)
    .values({
      tenantId,
      profileId: c.profileId ?? 'P1',
      campaignId: c.campaignId,
      name: c.name,
      campaignType: c.type ?? 'SP',
      state: c.state ?? 'enabled',
      dailyBudget: '50.00',
      currency: 'USD',
    });
  await testDb()
    .insert(adGroups)
    .values({
      tenantId,
      campaignId: c.campaignId,
      adGroupId: `${c.campaignId}-g`,
      name: `${c.name} group`,
      state: 'enabled',
    });
  await testDb()
    .insert(adKeywords)
    .values({
      tenantId,
      campaignId: c.campaignId,
      adGroupId: `${c.campaignId}-g`,
      keywordId: `${c.campaignId}-k`,
      keywordText: `${c.name} keyword`,
      matchType: 'EXACT',
      state: 'enabled',
    });
}

export type AdMetricSeed = Omit<typeof adMetricsDaily.$inferInsert, 'tenantId' | 'profileId' | 'entityId'> & {
  entityId?: string;
};

export async function seedAdMetrics(tenantId: string, rows: AdMetricSeed[]) {
  if (!rows.length) return;
  await testDb()
    .insert(adMetricsDaily)
    .values(
      rows.map((r) => ({
        tenantId,
        profileId: 'P1',
        currency: 'USD',
        entityId: r.entityId ?? entityOf(r),
        ...r,
      })),
    );
}

export async function seedAdMetricsHourly(
  tenantId: string,
  rows: Array<Omit<typeof adMetricsHourly.$inferInsert, 'tenantId' | 'profileId' | 'entityId'>>,
) {
  await testDb()
    .insert(adMetricsHourly)
    .values(rows.map((r) => ({ tenantId, profileId: 'P1', currency: 'USD', entityId: entityOf(r), ...r })));
}

function entityOf(r: {
  level: string;
  campaignId: string;
  adGroupId?: string | null;
  keywordId?: string | null;
  adId?: string | null;
}) {
  if (r.level === 'ad_group') return r.adGroupId!;
  if (r.level === 'keyword') return r.keywordId!;
  if (r.level === 'product') return r.adId!;
  return r.campaignId;
}

export async function seedInventory(
  tenantId: string,
  asin: string,
  days: Array<{ date: string; fulfillable: number }>,
  marketplaceId = US,
) {
  await testDb()
    .insert(inventoryHistory)
    .values(
      days.map((d) => ({
        tenantId,
        asin,
        marketplaceId,
        date: d.date,
        fulfillable: d.fulfillable,
        total: d.fulfillable,
      })),
    );
}

export async function seedPriceHistory(
  tenantId: string,
  asin: string,
  rows: Array<{ capturedAt: Date; ourPrice: string; salesRank?: number }>,
) {
  await testDb()
    .insert(priceHistory)
    .values(rows.map((r) => ({ tenantId, asin, marketplaceId: US, currency: 'USD', ...r })));
}

export async function seedCompetitors(
  tenantId: string,
  asin: string,
  rows: Array<{ sellerId: string; price: string; isBuyBoxWinner?: boolean }>,
) {
  await testDb()
    .insert(competitorOffers)
    .values(rows.map((r) => ({ tenantId, asin, marketplaceId: US, currency: 'USD', ...r })));
}

export async function seedAlert(
  tenantId: string,
  severity: 'low' | 'medium' | 'high' | 'critical',
  status: 'active' | 'resolved' = 'active',
) {
  await testDb()
    .insert(alerts)
    .values({ tenantId, type: 'STOCK_LOW', severity, status, title: `${severity} alert` });
}

/** A service context for calling a tenant's services directly, built as consumers and cron build it. */
export function tenantContext(tenantId: string): Promise<TenantContext> {
  return loadTenantContext({ db: testDb(), logger: createLogger('warn'), env }, tenantId);
}

/** Runs the rollups over a generous window around the seeded days. */
export async function rollup(
  tenantId: string,
  from = new Date(Date.now() - 800 * 86_400_000),
  to = new Date(Date.now() + 2 * 86_400_000),
) {
  return refreshSalesRollups(await tenantContext(tenantId), { from, to });
}

/** `YYYY-MM-DD` of a UTC instant shifted by n days from now. */
export const utcDay = (offsetDays = 0) =>
  new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
/** Noon UTC of the day `offsetDays` from today. */
export const noonUtc = (offsetDays = 0) => new Date(`${utcDay(offsetDays)}T12:00:00Z`);

/** Sum of decimal strings in integer cents (tests add up money exactly, independently of the code). */
export const cents = (v: string | number) => Math.round(Number(v) * 100);
export const fmt = (c: number) =>
  (c < 0 ? '-' : '') + `${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;
export const sumMoney = (values: Array<string | number>) =>
  fmt(values.reduce<number>((a, v) => a + cents(v), 0));

/** A parsed response body; tests assert on it field by field. */
// biome-ignore lint/suspicious/noExplicitAny: JSON bodies are checked field by field with expect()
export type Json = any;
