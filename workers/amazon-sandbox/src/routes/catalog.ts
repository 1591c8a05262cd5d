import { Hono } from 'hono';
import { MARKETPLACES, marketplaceById, OTHER_KNOWN_MARKETPLACES } from '../data/marketplaces';
import { isAsin, offersAt } from '../data/offers';
import { productByAsin } from '../data/products';
import { invalidInput } from '../lib/errors';
import { listParam } from '../lib/params';
import { hash32 } from '../lib/rand';
import { type SpEnv, spGate } from '../lib/sp-gate';

/** Catalog Items 2022-04-01 getCatalogItem; any well-formed ASIN exists, the seller's own carry its data. */
export const catalog = new Hono<SpEnv>();

const INCLUDED = [
  'attributes',
  'classifications',
  'dimensions',
  'identifiers',
  'images',
  'productTypes',
  'relationships',
  'salesRanks',
  'summaries',
  'vendorDetails',
];

catalog.get('/catalog/2022-04-01/items/', spGate('getCatalogItem'), (c) =>
  invalidInput(c, 'asin is required.'),
);

catalog.get('/catalog/2022-04-01/items/:asin', spGate('getCatalogItem'), (c) => {
  const asin = c.req.param('asin');
  const marketplaceIds = listParam(c, 'marketplaceIds');
  if (!isAsin(asin)) return invalidInput(c, `Invalid ASIN ${asin}.`);
  if (marketplaceIds.length === 0) return invalidInput(c, 'marketplaceIds is required.');
  const bad = marketplaceIds.find((m) => !marketplaceById(m) && !OTHER_KNOWN_MARKETPLACES.has(m));
  if (bad) return invalidInput(c, `Invalid marketplaceId ${bad}.`);
  const included = listParam(c, 'includedData');
  const inc = new Set(included.length > 0 ? included : ['summaries']);
  const badInc = [...inc].find((v) => !INCLUDED.includes(v));
  if (badInc) return invalidInput(c, `Invalid includedData value ${badInc}.`);
  const seller = c.get('seller');
  const product = productByAsin(seller, asin);
  const title = product?.title ?? `Generic Item ${asin}`;
  const brand = product?.brand ?? 'Generic';
  const productType = (product?.category ?? 'HOME').toUpperCase().replace(/\s+/g, '_');
  const now = Date.now();
  const item: Record<string, unknown> = { asin };
  if (inc.has('summaries')) {
    item.summaries = marketplaceIds.map((marketplaceId) => ({
      marketplaceId,
      brand,
      browseClassification: {
        displayName: product?.category ?? 'Home',
        classificationId: String(1000 + (hash32(productType) % 9000)),
      },
      itemClassification: 'BASE_PRODUCT',
      itemName: title,
      manufacturer: brand,
      modelNumber: product?.sku ?? asin,
      packageQuantity: 1,
      partNumber: product?.sku ?? asin,
    }));
  }
  if (inc.has('identifiers')) {
    item.identifiers = marketplaceIds.map((marketplaceId) => ({
      marketplaceId,
      identifiers: [
        { identifierType: 'EAN', identifier: String(4_000_000_000_000 + (hash32(asin) % 999_999_999)) },
      ],
    }));
  }
  if (inc.has('images')) {
    item.images = marketplaceIds.map((marketplaceId) => ({
      marketplaceId,
      images: [
        {
          variant: 'MAIN',
          link: `https://m.media-amazon.com/images/I/${asin}.jpg`,
          height: 1000,
          width: 1000,
        },
      ],
    }));
  }
  if (inc.has('productTypes'))
    item.productTypes = marketplaceIds.map((marketplaceId) => ({ marketplaceId, productType }));
  if (inc.has('salesRanks')) {
    item.salesRanks = marketplaceIds.map((marketplaceId) => {
      const mp = marketplaceById(marketplaceId) ?? MARKETPLACES[0]!;
      const snap = offersAt(seller, asin, mp, now);
      return {
        marketplaceId,
        displayGroupRanks: [
          {
            websiteDisplayGroup: `${snap.category}_display_on_website`,
            title: product?.category ?? 'Home',
            rank: snap.salesRank,
          },
        ],
      };
    });
  }
  if (inc.has('dimensions')) {
    item.dimensions = marketplaceIds.map((marketplaceId) => ({
      marketplaceId,
      item: {
        height: { unit: 'inches', value: 3 },
        length: { unit: 'inches', value: 9 },
        width: { unit: 'inches', value: 6 },
        weight: { unit: 'pounds', value: 1.2 },
      },
      package: {
        height: { unit: 'inches', value: 3.5 },
        length: { unit: 'inches', value: 10 },
        width: { unit: 'inches', value: 7 },
        weight: { unit: 'pounds', value: 1.4 },
      },
    }));
  }
  if (inc.has('attributes'))
    item.attributes = {
      item_name: [{ value: title, language_tag: 'en_US', marketplace_id: marketplaceIds[0] }],
      brand: [{ value: brand, marketplace_id: marketplaceIds[0] }],
    };
  if (inc.has('classifications')) {
    item.classifications = marketplaceIds.map((marketplaceId) => ({
      marketplaceId,
      classifications: [
        {
          displayName: product?.category ?? 'Home',
          classificationId: String(1000 + (hash32(productType) % 9000)),
        },
      ],
    }));
  }
  if (inc.has('relationships'))
    item.relationships = marketplaceIds.map((marketplaceId) => ({ marketplaceId, relationships: [] }));
  if (inc.has('vendorDetails'))
    item.vendorDetails = marketplaceIds.map((marketplaceId) => ({ marketplaceId }));
  return c.json(item);
});
