import { hash32, rng } from '../lib/rand';
import { DAY_MS, isoDate } from '../lib/time';
import type { MarketplaceInfo } from './marketplaces';
import { type Product, productsFor } from './products';
import { salesBySku } from './sales';
import type { Seller } from './seller';

export interface AdsProfile {
  profileId: number;
  marketplace: MarketplaceInfo;
}

export interface Keyword {
  keywordId: string;
  text: string;
  matchType: 'EXACT' | 'PHRASE' | 'BROAD';
  bid: number;
  state: 'ENABLED' | 'PAUSED';
  weight: number;
}

export interface NegativeKeyword {
  keywordId: string;
  text: string;
  matchType: 'NEGATIVE_EXACT' | 'NEGATIVE_PHRASE';
  state: 'ENABLED' | 'PAUSED';
}

export interface AdGroup {
  adGroupId: string;
  campaignId: string;
  name: string;
  defaultBid: number;
  state: 'ENABLED' | 'PAUSED';
  products: Product[];
  adIds: string[];
  keywords: Keyword[];
  negativeKeywords: NegativeKeyword[];
}

export interface Campaign {
  campaignId: string;
  name: string;
  targetingType: 'MANUAL' | 'AUTO';
  state: 'ENABLED' | 'PAUSED';
  budget: number;
  startDate: string;
  strategy: 'LEGACY_FOR_SALES' | 'AUTO_FOR_SALES' | 'MANUAL';
  adGroups: AdGroup[];
}

const id = (...parts: (string | number)[]): string =>
  String(hash32(...parts) * 1000 + (hash32('x', ...parts) % 1000));

export function profilesFor(seller: Seller): AdsProfile[] {
  return seller.marketplaces.map((marketplace, i) => ({
    profileId: hash32(seller.id, 'profile') * 10 + i,
    marketplace,
  }));
}

const WORDS = ['best', 'cheap', 'premium', 'for home', 'gift', 'set', 'large', 'small', 'pack', 'organic'];
const PRODUCTS_PER_CAMPAIGN = 4;
const cache = new Map<string, Campaign[]>();

/** Sponsored Products structure for one marketplace: a campaign per four products. */
export function campaignsFor(seller: Seller, mp: MarketplaceInfo): Campaign[] {
  const key = `${seller.id}:${seller.size.products}:${mp.id}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const products = productsFor(seller).filter((p) => !p.suppressed);
  const list: Campaign[] = [];
  for (let c = 0; c * PRODUCTS_PER_CAMPAIGN < products.length; c++) {
    const r = rng(seller.seed, 'campaign', mp.id, c);
    const campaignId = id(seller.id, mp.id, 'c', c);
    const auto = c % 3 === 2;
    const group = products.slice(c * PRODUCTS_PER_CAMPAIGN, (c + 1) * PRODUCTS_PER_CAMPAIGN);
    const adGroupCount = group.length > 2 ? 2 : 1;
    const adGroups: AdGroup[] = [];
    for (let g = 0; g < adGroupCount; g++) {
      const gp = group.filter((_, i) => i % adGroupCount === g);
      const adGroupId = id(campaignId, 'g', g);
      const noun = gp[0]!.title.split(' - ')[0]!.toLowerCase();
      const keywords: Keyword[] = auto
        ? []
        : Array.from({ length: r.int(4, 8) }, (_, k) => ({
            keywordId: id(adGroupId, 'k', k),
            text: k === 0 ? noun : `${noun} ${WORDS[k % WORDS.length]}`,
            matchType: (['EXACT', 'PHRASE', 'BROAD'] as const)[k % 3]!,
            bid: Math.round(r.int(35, 250) * mp.fx) / 100,
            state: r.chance(0.1) ? 'PAUSED' : 'ENABLED',
            weight: 1 + r.next() * 4,
          }));
      adGroups.push({
        adGroupId,
        campaignId,
        name: `${noun} - ${auto ? 'auto' : 'exact'} ${g + 1}`,
        defaultBid: Math.round(r.int(50, 150) * mp.fx) / 100,
        state: 'ENABLED',
        products: gp,
        adIds: gp.map((p) => id(adGroupId, 'ad', p.sku)),
        keywords,
        negativeKeywords: Array.from({ length: r.int(1, 3) }, (_, k) => ({
          keywordId: id(adGroupId, 'nk', k),
          text: ['free', 'used', 'broken'][k]!,
          matchType: k === 1 ? 'NEGATIVE_PHRASE' : 'NEGATIVE_EXACT',
          state: 'ENABLED',
        })),
      });
    }
    list.push({
      campaignId,
      name: `SP - ${group[0]!.category} ${c + 1}${auto ? ' - Auto' : ''}`,
      targetingType: auto ? 'AUTO' : 'MANUAL',
      state: c % 11 === 10 ? 'PAUSED' : 'ENABLED',
      budget: Math.round(r.int(10, 100) * mp.fx),
      startDate: isoDate(seller.startDay),
      strategy: auto ? 'AUTO_FOR_SALES' : 'LEGACY_FOR_SALES',
      adGroups,
    });
  }
  cache.set(key, list);
  return list;
}

export interface Metrics {
  impressions: number;
  clicks: number;
  costCents: number;
  purchases7d: number;
  sales7dCents: number;
  unitsSold7d: number;
}

export interface MetricRow extends Metrics {
  campaign: Campaign;
  adGroup: AdGroup;
  /** Undefined for auto-targeted ad groups (Amazon reports them by targeting expression). */
  keyword?: Keyword;
  day: number;
}

const metricsCache = new Map<string, MetricRow[]>();

/**
 * Daily metrics for every targeting row of a marketplace. Attributed sales are a share of the
 * advertised products' real orders that day, so ads tie back to the order data.
 */
export function dailyMetrics(seller: Seller, mp: MarketplaceInfo, day: number): MetricRow[] {
  const key = `${seller.id}:${seller.size.products}:${seller.size.ordersPerDay}:${seller.startDay}:${mp.id}:${day}`;
  const hit = metricsCache.get(key);
  if (hit) return hit;
  const sales = salesBySku(seller, day);
  const rows: MetricRow[] = [];
  for (const campaign of campaignsFor(seller, mp)) {
    if (campaign.state !== 'ENABLED') continue;
    for (const adGroup of campaign.adGroups) {
      const r = rng(seller.seed, 'metrics', adGroup.adGroupId, day);
      let groupCents = 0;
      let groupUnits = 0;
      let groupOrders = 0;
      for (const p of adGroup.products) {
        const s = sales.get(`${mp.id}:${p.sku}`);
        if (s) {
          groupCents += s.cents;
          groupUnits += s.units;
          groupOrders += s.orders;
        }
      }
      const share = 0.2 + r.next() * 0.15;
      const targets = adGroup.keywords.filter((k) => k.state === 'ENABLED');
      const slots: (Keyword | undefined)[] = targets.length > 0 ? targets : [undefined];
      const totalWeight = slots.reduce((s, k) => s + (k?.weight ?? 1), 0);
      for (const keyword of slots) {
        const w = (keyword?.weight ?? 1) / totalWeight;
        const salesCents = Math.round(groupCents * share * w);
        const purchases = Math.round(groupOrders * share * w);
        const acos = 0.18 + r.next() * 0.25;
        const costCents = Math.round(salesCents * acos + r.int(0, 150) * mp.fx);
        const cpcCents = Math.max(
          5,
          Math.round((keyword?.bid ?? adGroup.defaultBid) * 100 * (0.6 + r.next() * 0.35)),
        );
        const clicks = Math.max(purchases, Math.round(costCents / cpcCents));
        rows.push({
          campaign,
          adGroup,
          ...(keyword ? { keyword } : {}),
          day,
          impressions: Math.round(clicks / (0.003 + r.next() * 0.004)),
          clicks,
          costCents: clicks === 0 ? 0 : costCents,
          purchases7d: purchases,
          sales7dCents: salesCents,
          unitsSold7d: Math.round(groupUnits * share * w),
        });
      }
    }
  }
  if (metricsCache.size > 1024) metricsCache.delete(metricsCache.keys().next().value!);
  metricsCache.set(key, rows);
  return rows;
}

export function adsSpendCents(seller: Seller, mp: MarketplaceInfo, day: number): number {
  if (day < seller.startDay || day > seller.endDay) return 0;
  return dailyMetrics(seller, mp, day).reduce((s, r) => s + r.costCents, 0);
}

export const dayMs = (day: number): number => day * DAY_MS;
