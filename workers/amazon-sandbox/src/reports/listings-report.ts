import { mfnQuantity } from '../data/inventory';
import type { MarketplaceInfo } from '../data/marketplaces';
import { sellerPriceCents } from '../data/orders';
import { productsFor } from '../data/products';
import type { Seller } from '../data/seller';
import { price, toTsv } from './flat-file';

const HEADER = [
  'item-name',
  'item-description',
  'listing-id',
  'seller-sku',
  'price',
  'quantity',
  'open-date',
  'image-url',
  'item-is-marketplace',
  'product-id-type',
  'zshop-shipping-fee',
  'item-note',
  'item-condition',
  'zshop-category1',
  'zshop-browse-path',
  'zshop-storefront-feature',
  'asin1',
  'asin2',
  'asin3',
  'will-ship-internationally',
  'expedited-shipping',
  'zshop-boldface',
  'product-id',
  'bid-for-featured-placement',
  'add-delete',
  'pending-quantity',
  'fulfillment-channel',
  'merchant-shipping-group',
  'status',
] as const;

/** GET_MERCHANT_LISTINGS_ALL_DATA for one marketplace; suppressed listings show as Inactive. */
export function listingsFlatFile(seller: Seller, mp: MarketplaceInfo, asOfMs: number): string {
  const rows = productsFor(seller).map((p) => [
    p.title,
    '',
    `${p.index.toString().padStart(4, '0')}${p.asin.slice(2, 8)}`,
    p.sku,
    price(sellerPriceCents(seller, p, mp, asOfMs)),
    p.fulfillment === 'MFN' ? mfnQuantity(seller, p, mp, asOfMs) : '',
    p.openDate.replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC'),
    '',
    'y',
    '1',
    '',
    '',
    '11',
    '',
    '',
    '',
    p.asin,
    '',
    '',
    '',
    '',
    '',
    p.asin,
    '',
    '',
    0,
    p.fulfillment === 'AFN' ? (mp.region === 'EU' ? 'AMAZON_EU' : 'AMAZON_NA') : 'DEFAULT',
    'Migrated Template',
    p.suppressed ? 'Inactive' : 'Active',
  ]);
  return toTsv(HEADER, rows);
}
