import { type Context, Hono } from 'hono';
import { listingItem } from '../data/listing-views';
import { type MarketplaceInfo, marketplaceById } from '../data/marketplaces';
import { decodeToken, encodeToken } from '../data/order-query';
import { productBySku, productsFor } from '../data/products';
import { invalidInput, notFound, spError } from '../lib/errors';
import { intParam, listParam } from '../lib/params';
import { type SpEnv, spGate } from '../lib/sp-gate';

/** Listings Items 2021-08-01: getListingsItem and searchListingsItems (read-only). */
export const listings = new Hono<SpEnv>();

const INCLUDED = [
  'summaries',
  'attributes',
  'issues',
  'offers',
  'fulfillmentAvailability',
  'procurement',
  'relationships',
  'productTypes',
];

function common(c: Context<SpEnv>): { markets: MarketplaceInfo[]; included: Set<string> } | Response {
  const ids = listParam(c, 'marketplaceIds');
  const markets = ids.map(marketplaceById);
  if (ids.length === 0 || markets.some((m) => !m))
    return invalidInput(c, 'marketplaceIds must name marketplaces the seller participates in.');
  if (c.req.param('sellerId') !== c.get('sellerId')) {
    return spError(c, 403, 'Unauthorized', 'Access to requested resource is denied.');
  }
  const included = listParam(c, 'includedData');
  const bad = included.find((v) => !INCLUDED.includes(v));
  if (bad) return invalidInput(c, `Invalid includedData value ${bad}.`);
  return {
    markets: markets as MarketplaceInfo[],
    included: new Set(included.length > 0 ? included : ['summaries']),
  };
}

listings.get('/listings/2021-08-01/items/:sellerId/:sku', spGate('getListingsItem'), (c) => {
  const ctx = common(c);
  if (ctx instanceof Response) return ctx;
  const product = productBySku(c.get('seller'), decodeURIComponent(c.req.param('sku')));
  if (!product) return notFound(c, `SKU ${c.req.param('sku')} not found.`);
  return c.json(listingItem(c.get('seller'), product, ctx.markets, ctx.included, Date.now()));
});

listings.get('/listings/2021-08-01/items/:sellerId', spGate('searchListingsItems'), (c) => {
  const ctx = common(c);
  if (ctx instanceof Response) return ctx;
  const pageSize = intParam(c, 'pageSize', 10);
  if (pageSize === undefined || pageSize < 1 || pageSize > 20)
    return invalidInput(c, 'pageSize must be between 1 and 20.');
  const identifiers = listParam(c, 'identifiers');
  const type = c.req.query('identifiersType');
  if (identifiers.length > 0 && type !== 'SKU' && type !== 'ASIN' && type !== 'FNSKU')
    return invalidInput(c, 'identifiersType must be SKU, ASIN or FNSKU.');
  const key = type === 'ASIN' ? 'asin' : type === 'FNSKU' ? 'fnSku' : 'sku';
  const matching = productsFor(c.get('seller')).filter(
    (p) => identifiers.length === 0 || identifiers.includes(p[key]),
  );
  const token = c.req.query('pageToken');
  const offset = token ? (decodeToken<{ o: number }>(token)?.o ?? 0) : 0;
  const page = matching.slice(offset, offset + pageSize);
  const now = Date.now();
  return c.json({
    numberOfResults: matching.length,
    pagination: {
      ...(offset + pageSize < matching.length ? { nextToken: encodeToken({ o: offset + pageSize }) } : {}),
      ...(offset > 0 ? { previousToken: encodeToken({ o: Math.max(0, offset - pageSize) }) } : {}),
    },
    items: page.map((p) => listingItem(c.get('seller'), p, ctx.markets, ctx.included, now)),
  });
});
