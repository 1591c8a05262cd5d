import { toDecimalString } from '../lib/money';
import { inventoryAt, mfnQuantity } from './inventory';
import type { MarketplaceInfo } from './marketplaces';
import { sellerPriceCents } from './orders';
import type { Product } from './products';
import type { Seller } from './seller';

const SUPPRESSION_ISSUE = {
  code: '18027',
  message:
    'We believe the main image has text, logo, graphic, or watermark that is not permitted for main images.',
  severity: 'ERROR',
  categories: ['INVALID_IMAGE'],
  enforcements: { actions: [{ action: 'SEARCH_SUPPRESSED' }], exemption: { status: 'NOT_EXEMPT' } },
};

/** Listings Items 2021-08-01 `Item`; a suppressed listing is not discoverable and carries the reason as an issue. */
export function listingItem(
  seller: Seller,
  p: Product,
  markets: MarketplaceInfo[],
  included: Set<string>,
  nowMs: number,
): Record<string, unknown> {
  const productType = p.category.toUpperCase().replace(/\s+/g, '_');
  const item: Record<string, unknown> = { sku: p.sku };
  if (included.has('summaries')) {
    item.summaries = markets.map((mp) => ({
      marketplaceId: mp.id,
      asin: p.asin,
      productType,
      conditionType: 'new_new',
      status: p.suppressed ? ['BUYABLE'] : ['BUYABLE', 'DISCOVERABLE'],
      ...(p.fulfillment === 'AFN' ? { fnSku: p.fnSku } : {}),
      itemName: p.title,
      createdDate: p.openDate.replace(/\.\d{3}Z$/, 'Z'),
      lastUpdatedDate: p.openDate.replace(/\.\d{3}Z$/, 'Z'),
      mainImage: { link: `https://m.media-amazon.com/images/I/${p.asin}.jpg`, height: 1000, width: 1000 },
    }));
  }
  if (included.has('offers')) {
    item.offers = markets.map((mp) => ({
      marketplaceId: mp.id,
      offerType: 'B2C',
      price: { currencyCode: mp.currency, amount: toDecimalString(sellerPriceCents(seller, p, mp, nowMs)) },
    }));
  }
  if (included.has('fulfillmentAvailability')) {
    const mp = markets[0]!;
    item.fulfillmentAvailability = [
      p.fulfillment === 'AFN'
        ? {
            fulfillmentChannelCode: mp.region === 'EU' ? 'AMAZON_EU' : 'AMAZON_NA',
            quantity: inventoryAt(seller, p, mp, nowMs).fulfillable,
          }
        : { fulfillmentChannelCode: 'DEFAULT', quantity: mfnQuantity(seller, p, mp, nowMs) },
    ];
  }
  if (included.has('issues'))
    item.issues = p.suppressed ? [{ ...SUPPRESSION_ISSUE, marketplaceIds: markets.map((m) => m.id) }] : [];
  if (included.has('productTypes'))
    item.productTypes = markets.map((mp) => ({ marketplaceId: mp.id, productType }));
  if (included.has('attributes'))
    item.attributes = { item_name: [{ value: p.title, marketplace_id: markets[0]!.id }] };
  return item;
}
