import { type Context, Hono } from 'hono';
import {
  MARKETPLACES,
  type MarketplaceInfo,
  marketplaceById,
  OTHER_KNOWN_MARKETPLACES,
} from '../data/marketplaces';
import { competitiveSummary, offersResultV0 } from '../data/offer-views';
import { isAsin, offersAt } from '../data/offers';
import { productBySku } from '../data/products';
import type { Seller } from '../data/seller';
import { invalidInput, spErrorBody } from '../lib/errors';
import { type SpEnv, spGate } from '../lib/sp-gate';

/** Product Pricing v0 offers (single and batch) and 2022-05-01 competitive summary. */
export const pricing = new Hono<SpEnv>();

// Marketplaces outside the seller's set still have a market; prices are shown in USD there.
const marketFor = (id: string): MarketplaceInfo | undefined =>
  marketplaceById(id) ?? (OTHER_KNOWN_MARKETPLACES.has(id) ? { ...MARKETPLACES[0]!, id } : undefined);

type OffersOutcome =
  | { status: 200; body: Record<string, unknown> }
  | { status: 400 | 404; body: Record<string, unknown> };

function itemOffers(
  seller: Seller,
  asin: string,
  marketplaceId: string | undefined,
  condition: string | undefined,
  now: number,
): OffersOutcome {
  const mp = marketplaceId ? marketFor(marketplaceId) : undefined;
  if (!mp)
    return {
      status: 400,
      body: spErrorBody('InvalidInput', `Invalid MarketplaceId: ${marketplaceId ?? ''}`),
    };
  if (!isAsin(asin)) return { status: 400, body: spErrorBody('InvalidInput', `Invalid ASIN: ${asin}`) };
  if (condition && !['New', 'Used', 'Collectible', 'Refurbished', 'Club'].includes(condition)) {
    return { status: 400, body: spErrorBody('InvalidInput', `Invalid ItemCondition: ${condition}`) };
  }
  return { status: 200, body: { payload: offersResultV0(offersAt(seller, asin, mp, now), now) } };
}

function listingOffers(
  seller: Seller,
  sku: string,
  marketplaceId: string | undefined,
  now: number,
): OffersOutcome {
  const mp = marketplaceId ? marketFor(marketplaceId) : undefined;
  if (!mp)
    return {
      status: 400,
      body: spErrorBody('InvalidInput', `Invalid MarketplaceId: ${marketplaceId ?? ''}`),
    };
  const product = productBySku(seller, sku);
  if (!product) return { status: 404, body: spErrorBody('NotFound', `No listing found for SKU ${sku}.`) };
  return {
    status: 200,
    body: { payload: offersResultV0(offersAt(seller, product.asin, mp, now), now, sku) },
  };
}

pricing.get('/products/pricing/v0/items/:asin/offers', spGate('getItemOffers'), (c) => {
  // The model marks ItemCondition required, yet Amazon's own sandbox examples omit it: default to New.
  const out = itemOffers(
    c.get('seller'),
    c.req.param('asin'),
    c.req.query('MarketplaceId'),
    c.req.query('ItemCondition') ?? 'New',
    Date.now(),
  );
  return c.json(out.body, out.status);
});

pricing.get('/products/pricing/v0/listings/:sku/offers', spGate('getListingOffers'), (c) => {
  const out = listingOffers(
    c.get('seller'),
    decodeURIComponent(c.req.param('sku')),
    c.req.query('MarketplaceId'),
    Date.now(),
  );
  return c.json(out.body, out.status);
});

type BatchItem = {
  uri?: unknown;
  method?: unknown;
  MarketplaceId?: unknown;
  ItemCondition?: unknown;
  CustomerType?: unknown;
};

async function batchRequests(c: Context<SpEnv>): Promise<BatchItem[] | Response> {
  const body = await c.req.json<{ requests?: unknown }>().catch(() => undefined);
  if (!body || !Array.isArray(body.requests) || body.requests.length === 0)
    return invalidInput(c, 'requests is required.');
  if (body.requests.length > 20) return invalidInput(c, 'A batch accepts at most 20 requests.');
  return body.requests as BatchItem[];
}

const statusLine = (status: number) => ({
  statusCode: status,
  reasonPhrase: status === 200 ? 'OK' : status === 404 ? 'Not Found' : 'Bad Request',
});

pricing.post('/batches/products/pricing/v0/itemOffers', spGate('getItemOffersBatch'), async (c) => {
  const requests = await batchRequests(c);
  if (requests instanceof Response) return requests;
  const now = Date.now();
  const responses = requests.map((r) => {
    const asin = /^\/products\/pricing\/v0\/items\/([^/]+)\/offers$/.exec(String(r.uri ?? ''))?.[1] ?? '';
    const out = itemOffers(
      c.get('seller'),
      asin,
      String(r.MarketplaceId ?? ''),
      String(r.ItemCondition ?? 'New'),
      now,
    );
    return {
      status: statusLine(out.status),
      headers: { 'x-amzn-RequestId': crypto.randomUUID(), Date: new Date(now).toUTCString() },
      body: out.body,
      request: {
        MarketplaceId: String(r.MarketplaceId ?? ''),
        Asin: asin,
        ItemCondition: String(r.ItemCondition ?? 'New'),
        CustomerType: String(r.CustomerType ?? 'Consumer'),
      },
    };
  });
  return c.json({ responses });
});

pricing.post('/batches/products/pricing/v0/listingOffers', spGate('getListingOffersBatch'), async (c) => {
  const requests = await batchRequests(c);
  if (requests instanceof Response) return requests;
  const now = Date.now();
  const responses = requests.map((r) => {
    const sku = decodeURIComponent(
      /^\/products\/pricing\/v0\/listings\/([^/]+)\/offers$/.exec(String(r.uri ?? ''))?.[1] ?? '',
    );
    const out = listingOffers(c.get('seller'), sku, String(r.MarketplaceId ?? ''), now);
    return {
      status: statusLine(out.status),
      headers: { 'x-amzn-RequestId': crypto.randomUUID(), Date: new Date(now).toUTCString() },
      body: out.body,
      request: {
        MarketplaceId: String(r.MarketplaceId ?? ''),
        SellerSKU: sku,
        ItemCondition: String(r.ItemCondition ?? 'New'),
        CustomerType: String(r.CustomerType ?? 'Consumer'),
      },
    };
  });
  return c.json({ responses });
});

pricing.post(
  '/batches/products/pricing/2022-05-01/items/competitiveSummary',
  spGate('getCompetitiveSummary'),
  async (c) => {
    const body = await c.req.json<{ requests?: unknown }>().catch(() => undefined);
    if (!body || !Array.isArray(body.requests) || body.requests.length === 0)
      return invalidInput(c, 'requests is required.');
    if (body.requests.length > 20) return invalidInput(c, 'A batch accepts at most 20 requests.');
    const now = Date.now();
    const responses = (
      body.requests as { asin?: unknown; marketplaceId?: unknown; includedData?: unknown }[]
    ).map((r) => {
      const asin = String(r.asin ?? '');
      const mp = marketFor(String(r.marketplaceId ?? ''));
      const included = Array.isArray(r.includedData) ? r.includedData.map(String) : [];
      if (!mp || !isAsin(asin) || included.length === 0) {
        return {
          status: statusLine(400),
          body: {
            asin,
            marketplaceId: String(r.marketplaceId ?? ''),
            errors: [
              { code: 'InvalidInput', message: !isAsin(asin) ? `Invalid ASIN: ${asin}` : 'Invalid request.' },
            ],
          },
        };
      }
      return {
        status: statusLine(200),
        body: competitiveSummary(offersAt(c.get('seller'), asin, mp, now), included),
      };
    });
    return c.json({ responses });
  },
);
