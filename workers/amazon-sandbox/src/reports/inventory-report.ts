import { inventoryAt, mfnQuantity, reservedTotal, unfulfillableTotal } from '../data/inventory';
import type { MarketplaceInfo } from '../data/marketplaces';
import { sellerPriceCents } from '../data/orders';
import { productsFor } from '../data/products';
import type { Seller } from '../data/seller';
import { price, toTsv } from './flat-file';

const HEADER = [
  'sku',
  'fnsku',
  'asin',
  'product-name',
  'condition',
  'your-price',
  'mfn-listing-exists',
  'mfn-fulfillable-quantity',
  'afn-listing-exists',
  'afn-warehouse-quantity',
  'afn-fulfillable-quantity',
  'afn-unsellable-quantity',
  'afn-reserved-quantity',
  'afn-total-quantity',
  'per-unit-volume',
  'afn-inbound-working-quantity',
  'afn-inbound-shipped-quantity',
  'afn-inbound-receiving-quantity',
  'afn-researching-quantity',
  'afn-reserved-future-supply',
  'afn-future-supply-buyable',
] as const;

/** GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA (or _ALL_ when suppressed listings are wanted too). */
export function inventoryFlatFile(
  seller: Seller,
  mp: MarketplaceInfo,
  asOfMs: number,
  includeSuppressed: boolean,
): string {
  const rows = productsFor(seller)
    .filter((p) => p.fulfillment === 'AFN' && (includeSuppressed || !p.suppressed))
    .map((p) => {
      const l = inventoryAt(seller, p, mp, asOfMs);
      const warehouse = l.fulfillable + unfulfillableTotal(l) + reservedTotal(l);
      const inbound = l.inboundWorking + l.inboundShipped + l.inboundReceiving;
      return [
        p.sku,
        p.fnSku,
        p.asin,
        p.title,
        'New',
        price(sellerPriceCents(seller, p, mp, asOfMs)),
        'No',
        '',
        'Yes',
        warehouse,
        l.fulfillable,
        unfulfillableTotal(l),
        reservedTotal(l),
        warehouse + inbound,
        '0.12',
        l.inboundWorking,
        l.inboundShipped,
        l.inboundReceiving,
        l.researching,
        0,
        0,
      ];
    });
  // MFN listings appear with mfn-listing-exists=Yes only in the ALL variant.
  if (includeSuppressed) {
    for (const p of productsFor(seller).filter((x) => x.fulfillment === 'MFN')) {
      rows.push([
        p.sku,
        '',
        p.asin,
        p.title,
        'New',
        price(sellerPriceCents(seller, p, mp, asOfMs)),
        'Yes',
        mfnQuantity(seller, p, mp, asOfMs),
        'No',
        0,
        0,
        0,
        0,
        0,
        '0.12',
        0,
        0,
        0,
        0,
        0,
        0,
      ]);
    }
  }
  return toTsv(HEADER, rows);
}
