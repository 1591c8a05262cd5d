import { hash32, rng } from '../lib/rand';
import type { Seller } from './seller';

export interface Product {
  index: number;
  sku: string;
  asin: string;
  fnSku: string;
  title: string;
  brand: string;
  category: string;
  /** Base list price in USD cents; other marketplaces scale it by their fx. */
  priceCents: number;
  /** Amazon referral fee rate for the category. */
  referralRate: number;
  /** FBA fulfilment fee per unit in USD cents (size tier). */
  fbaFeeCents: number;
  fulfillment: 'AFN' | 'MFN';
  /** Relative demand; products are picked proportionally. */
  weight: number;
  suppressed: boolean;
  openDate: string;
}

const CATEGORIES = [
  {
    name: 'Kitchen',
    referral: 0.15,
    nouns: ['Silicone Spatula Set', 'Bamboo Cutting Board', 'Garlic Press', 'Measuring Cups'],
  },
  { name: 'Sports', referral: 0.15, nouns: ['Resistance Bands', 'Yoga Mat', 'Jump Rope', 'Water Bottle'] },
  {
    name: 'Pet Supplies',
    referral: 0.15,
    nouns: ['Dog Leash', 'Cat Toy Wand', 'Pet Grooming Brush', 'Slow Feeder Bowl'],
  },
  {
    name: 'Electronics Accessories',
    referral: 0.08,
    nouns: ['USB-C Cable', 'Phone Stand', 'Wireless Charger', 'Cable Organizer'],
  },
  {
    name: 'Home',
    referral: 0.15,
    nouns: ['Storage Bins', 'LED Night Light', 'Shower Caddy', 'Drawer Dividers'],
  },
] as const;
const ADJECTIVES = [
  'Crème',
  'Café',
  'Premium',
  'Eco',
  'Pro',
  'Compact',
  'Deluxe',
  'Classic',
  'Ultra',
  'Essential',
];
const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';

function code(seed: number, length: number): string {
  let s = '';
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = hash32(x, i);
    s += ALNUM[x % ALNUM.length];
  }
  return s;
}

const cache = new Map<string, Product[]>();

/** The seller's catalogue; small enough to build whole (products, not orders, scale with size). */
export function productsFor(seller: Seller): Product[] {
  const key = `${seller.id}:${seller.size.products}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const list: Product[] = [];
  for (let i = 0; i < seller.size.products; i++) {
    const r = rng(seller.seed, 'product', i);
    const cat = r.pick(CATEGORIES);
    const noun = r.pick(cat.nouns);
    const priceCents = r.int(8, 60) * 100 + r.pick([99, 49, 95, 0]);
    const h = hash32(seller.id, 'asin', i);
    list.push({
      index: i,
      sku: `${cat.name.slice(0, 2).toUpperCase()}-${code(h, 4)}-${String(i + 1).padStart(4, '0')}`,
      asin: `B0${code(h ^ 0x5a5a, 8)}`,
      fnSku: `X00${code(h ^ 0x1234, 7)}`,
      title: `${r.pick(ADJECTIVES)} ${noun} - ${cat.name} by Sandbox Goods`,
      brand: 'Sandbox Goods',
      category: cat.name,
      priceCents,
      referralRate: cat.referral,
      fbaFeeCents: priceCents < 1500 ? 322 : priceCents < 3000 ? 413 : 589,
      // Every fifth product is merchant-fulfilled so both channels are always present.
      fulfillment: i % 5 === 4 ? 'MFN' : 'AFN',
      weight: 1 + r.next() * 9,
      // A stable few listings are suppressed (search suppressed: missing main image etc.).
      suppressed: seller.size.products >= 10 && i % 17 === 9,
      openDate: new Date(Date.UTC(2022, 0, 1) + r.int(0, 600) * 86_400_000).toISOString(),
    });
  }
  cache.set(key, list);
  return list;
}

export const productBySku = (seller: Seller, sku: string): Product | undefined =>
  productsFor(seller).find((p) => p.sku === sku);
export const productByAsin = (seller: Seller, asin: string): Product | undefined =>
  productsFor(seller).find((p) => p.asin === asin);

/** Local price in minor units for a marketplace, rounded to a .99 / whole price point. */
export function localPriceCents(usdCents: number, fx: number): number {
  if (fx === 1) return usdCents;
  const raw = (usdCents * fx) / 100;
  return fx > 5 ? Math.round(raw) * 100 : Math.floor(raw) * 100 + 99;
}
