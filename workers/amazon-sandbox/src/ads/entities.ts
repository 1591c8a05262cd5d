import { type AdGroup, type Campaign, campaignsFor, type Keyword, type NegativeKeyword } from '../data/ads';
import type { MarketplaceInfo } from '../data/marketplaces';
import type { Seller } from '../data/seller';

export type Overrides = Record<string, Record<string, unknown>>;
export type EntityKind = 'campaign' | 'adGroup' | 'keyword' | 'negativeKeyword' | 'productAd';

/** Sponsored Products v3 JSON for each entity, with the seller's updates applied on top. */
export function campaignJson(c: Campaign, o: Overrides): Record<string, unknown> {
  const patch = o[c.campaignId] ?? {};
  return {
    campaignId: c.campaignId,
    name: (patch.name as string | undefined) ?? c.name,
    targetingType: c.targetingType,
    state: (patch.state as string | undefined) ?? c.state,
    dynamicBidding: { strategy: c.strategy, placementBidding: [] },
    startDate: c.startDate,
    budget: { budgetType: 'DAILY', budget: (patch.budget as number | undefined) ?? c.budget },
  };
}

export function adGroupJson(g: AdGroup, o: Overrides): Record<string, unknown> {
  const patch = o[g.adGroupId] ?? {};
  return {
    adGroupId: g.adGroupId,
    campaignId: g.campaignId,
    name: (patch.name as string | undefined) ?? g.name,
    defaultBid: (patch.defaultBid as number | undefined) ?? g.defaultBid,
    state: (patch.state as string | undefined) ?? g.state,
  };
}

export function keywordJson(g: AdGroup, k: Keyword, o: Overrides): Record<string, unknown> {
  const patch = o[k.keywordId] ?? {};
  return {
    keywordId: k.keywordId,
    adGroupId: g.adGroupId,
    campaignId: g.campaignId,
    keywordText: k.text,
    matchType: k.matchType,
    bid: (patch.bid as number | undefined) ?? k.bid,
    state: (patch.state as string | undefined) ?? k.state,
  };
}

export function negativeKeywordJson(g: AdGroup, k: NegativeKeyword, o: Overrides): Record<string, unknown> {
  const patch = o[k.keywordId] ?? {};
  return {
    keywordId: k.keywordId,
    adGroupId: g.adGroupId,
    campaignId: g.campaignId,
    keywordText: k.text,
    matchType: k.matchType,
    state: (patch.state as string | undefined) ?? k.state,
  };
}

/** Every entity of a kind in a marketplace, as v3 JSON. */
export function allEntities(
  seller: Seller,
  mp: MarketplaceInfo,
  kind: EntityKind,
  o: Overrides,
): Record<string, unknown>[] {
  const campaigns = campaignsFor(seller, mp);
  switch (kind) {
    case 'campaign':
      return campaigns.map((c) => campaignJson(c, o));
    case 'adGroup':
      return campaigns.flatMap((c) => c.adGroups.map((g) => adGroupJson(g, o)));
    case 'keyword':
      return campaigns.flatMap((c) => c.adGroups.flatMap((g) => g.keywords.map((k) => keywordJson(g, k, o))));
    case 'negativeKeyword':
      return campaigns.flatMap((c) =>
        c.adGroups.flatMap((g) => g.negativeKeywords.map((k) => negativeKeywordJson(g, k, o))),
      );
    case 'productAd':
      return campaigns.flatMap((c) =>
        c.adGroups.flatMap((g) =>
          g.products.map((p, i) => ({
            adId: g.adIds[i]!,
            adGroupId: g.adGroupId,
            campaignId: c.campaignId,
            asin: p.asin,
            sku: p.sku,
            state: (o[g.adIds[i]!]?.state as string | undefined) ?? 'ENABLED',
          })),
        ),
      );
  }
}

export const ID_FIELD: Record<EntityKind, string> = {
  campaign: 'campaignId',
  adGroup: 'adGroupId',
  keyword: 'keywordId',
  negativeKeyword: 'keywordId',
  productAd: 'adId',
};

/** Fields a PUT may change per entity kind, with their validators. */
export const UPDATABLE: Record<EntityKind, Record<string, (v: unknown) => boolean>> = {
  campaign: {
    state: (v) => v === 'ENABLED' || v === 'PAUSED' || v === 'ARCHIVED',
    name: (v) => typeof v === 'string' && v.length > 0,
    budget: (v) => typeof v === 'number' && v >= 1 && v <= 1_000_000,
  },
  adGroup: {
    state: (v) => v === 'ENABLED' || v === 'PAUSED' || v === 'ARCHIVED',
    name: (v) => typeof v === 'string' && v.length > 0,
    defaultBid: (v) => typeof v === 'number' && v >= 0.02 && v <= 1000,
  },
  keyword: {
    state: (v) => v === 'ENABLED' || v === 'PAUSED' || v === 'ARCHIVED',
    bid: (v) => typeof v === 'number' && v >= 0.02 && v <= 1000,
  },
  negativeKeyword: { state: (v) => v === 'ENABLED' || v === 'PAUSED' || v === 'ARCHIVED' },
  productAd: { state: (v) => v === 'ENABLED' || v === 'PAUSED' || v === 'ARCHIVED' },
};
