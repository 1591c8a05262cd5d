import { hash32 } from '../lib/rand';
import type { GenOrder } from './orders';

const PLACES: Record<string, [string, string, string][]> = {
  US: [
    ['SEATTLE', 'WA', '98109'],
    ['AUSTIN', 'TX', '78701'],
    ['DENVER', 'CO', '80202'],
    ['MIAMI', 'FL', '33131'],
    ['CHICAGO', 'IL', '60601'],
  ],
  CA: [
    ['TORONTO', 'ON', 'M5V 2T6'],
    ['VANCOUVER', 'BC', 'V6B 1A1'],
    ['MONTREAL', 'QC', 'H3B 1A7'],
  ],
  MX: [
    ['CIUDAD DE MEXICO', 'CDMX', '06600'],
    ['GUADALAJARA', 'JAL', '44100'],
    ['MONTERREY', 'NL', '64000'],
  ],
  GB: [
    ['LONDON', 'London', 'EC1A 1BB'],
    ['MANCHESTER', 'Greater Manchester', 'M1 1AE'],
    ['LEEDS', 'West Yorkshire', 'LS1 4DY'],
  ],
};

/** Non-PII part of the ship-to address (city, region, postal code, country), as Amazon shares it without an RDT. */
export function shipTo(order: GenOrder): {
  city: string;
  state: string;
  postalCode: string;
  countryCode: string;
} {
  const list = PLACES[order.marketplace.countryCode] ?? PLACES.US!;
  const [city, state, postalCode] = list[hash32(order.orderId, 'addr') % list.length]!;
  return { city, state, postalCode, countryCode: order.marketplace.countryCode };
}
