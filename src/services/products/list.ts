import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { queryRows } from '../../db/client';
import { todayIn } from '../../lib/dates';
import { ValidationError } from '../../lib/errors';
import { money } from '../../lib/money';
import { tenantPrefs } from '../tenant/prefs';
import { type ProductRow, toProduct } from './map';
import { productColumns, productMetricsCte } from './metrics-sql';

/** Offset pagination stops here; deeper pages use the keyset cursor. */
export const MAX_OFFSET_ROWS = 1000;

export const STOCK_LEVELS = ['critical', 'low', 'normal', 'high', 'excess'] as const;
export const PRODUCT_SORTS = ['sales', 'profit', 'stock', 'margin', 'updated'] as const;

export interface ProductListInput {
  page: number;
  limit: number;
  cursor?: string;
  search?: string;
  category?: string;
  brand?: string;
  sortBy: (typeof PRODUCT_SORTS)[number];
  sortOrder: 'asc' | 'desc';
  stockLevel?: (typeof STOCK_LEVELS)[number];
  buyBoxStatus?: 'winner' | 'lost' | 'suppressed';
  marginMin?: number;
  marginMax?: number;
  priceMin?: number;
  priceMax?: number;
  isActive?: boolean;
  fulfillmentChannel?: 'FBA' | 'FBM' | 'both';
  currency?: string;
}

// Nulls (no sales → no margin) sort last in descending order and first in ascending order.
const SORT_KEYS: Record<ProductListInput['sortBy'], SQL> = {
  sales: sql`pm.revenue30`,
  profit: sql`pm.profit30`,
  stock: sql`pm.available::numeric`,
  margin: sql`coalesce(pm.margin, -1000000000)`,
  updated: sql`extract(epoch FROM pm.updated_at)`,
};

interface Cursor {
  k: string;
  id: string;
  s: string;
  o: string;
}

function encodeCursor(c: Cursor): string {
  return btoa(JSON.stringify(c)).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '');
}

function decodeCursor(raw: string, input: ProductListInput): Cursor {
  try {
    const c = JSON.parse(atob(raw.replaceAll('-', '+').replaceAll('_', '/'))) as Cursor;
    if (
      typeof c.k !== 'string' ||
      !/^-?\d+(\.\d+)?$/.test(c.k) ||
      typeof c.id !== 'string' ||
      !/^[0-9a-f-]{36}$/.test(c.id)
    )
      throw new Error('shape');
    if (c.s !== input.sortBy || c.o !== input.sortOrder) throw new Error('sort');
    return c;
  } catch {
    throw new ValidationError('Invalid cursor', [
      {
        field: 'query.cursor',
        message: 'cursor is malformed or was made for another sort',
        code: 'invalid_cursor',
      },
    ]);
  }
}

/** Prefix full-text query over title/ASIN/SKU tokens: `wid:* & blu:*`. */
export function prefixTsQuery(search: string): string | null {
  const tokens = search
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 8);
  return tokens.length ? tokens.map((t) => `${t}:*`).join(' & ') : null;
}

function filters(input: ProductListInput): SQL[] {
  const where: SQL[] = [];
  if (input.search) {
    const ts = prefixTsQuery(input.search);
    const exact = input.search.trim();
    where.push(
      ts
        ? sql`(pm.search_vector @@ to_tsquery('simple', ${ts}) OR pm.asin = ${exact.toUpperCase()} OR pm.sku = ${exact})`
        : sql`(pm.asin = ${exact.toUpperCase()} OR pm.sku = ${exact})`,
    );
  }
  if (input.category) where.push(sql`pm.category = ${input.category}`);
  if (input.brand) where.push(sql`pm.brand = ${input.brand}`);
  if (input.stockLevel) where.push(sql`pm.stock_level = ${input.stockLevel}`);
  if (input.buyBoxStatus) where.push(sql`pm.buy_box_status = ${input.buyBoxStatus}`);
  if (input.marginMin !== undefined) where.push(sql`pm.margin >= ${input.marginMin}`);
  if (input.marginMax !== undefined) where.push(sql`pm.margin <= ${input.marginMax}`);
  if (input.priceMin !== undefined) where.push(sql`pm.price >= ${input.priceMin}`);
  if (input.priceMax !== undefined) where.push(sql`pm.price <= ${input.priceMax}`);
  if (input.isActive !== undefined) where.push(sql`pm.is_active = ${input.isActive}`);
  if (input.fulfillmentChannel === 'FBA' || input.fulfillmentChannel === 'FBM')
    where.push(sql`pm.fulfillment_channel = ${input.fulfillmentChannel}`);
  return where;
}

/** Computed columns of `pm` that `productColumns` reads besides the listing's own. */
const METRIC_COLUMNS = [
  'units30',
  'revenue30',
  'profit30',
  'available',
  'velocity',
  'days_of_stock',
  'margin',
  'stock_level',
];

const and = (parts: SQL[]) => (parts.length ? sql.join(parts, sql` AND `) : sql`true`);

export async function listProducts({
  db,
  tenantId,
  input,
}: {
  db: Database;
  tenantId: string;
  input: ProductListInput;
}) {
  if (!input.cursor && input.page * input.limit > MAX_OFFSET_ROWS) {
    throw new ValidationError(
      `Offset pagination covers the first ${MAX_OFFSET_ROWS} rows; use the cursor beyond`,
      [
        {
          field: 'query.page',
          message: `page × limit must be at most ${MAX_OFFSET_ROWS}; pass cursor=<nextCursor>`,
          code: 'use_cursor',
        },
      ],
    );
  }
  const prefs = await tenantPrefs(db, tenantId);
  const currency = input.currency ?? prefs.currency;
  const today = todayIn(prefs.timezone);
  const cte = productMetricsCte(tenantId, today);
  const where = filters(input);
  const key = SORT_KEYS[input.sortBy];
  const dir = input.sortOrder === 'asc' ? sql.raw('ASC') : sql.raw('DESC');
  let cursorWhere = sql`true`;
  if (input.cursor) {
    const c = decodeCursor(input.cursor, input);
    cursorWhere =
      input.sortOrder === 'asc'
        ? sql`(f.sk > ${c.k}::numeric OR (f.sk = ${c.k}::numeric AND f.id > ${c.id}::uuid))`
        : sql`(f.sk < ${c.k}::numeric OR (f.sk = ${c.k}::numeric AND f.id < ${c.id}::uuid))`;
  }
  const offset = input.cursor ? 0 : (input.page - 1) * input.limit;
  const aggregates = sql`count(*)::int AS agg_total,
    (sum(f.available * f.price) FILTER (WHERE trim(f.currency) = ${currency}))::text AS agg_value,
    round(avg(f.margin), 2)::text AS agg_margin,
    (count(*) FILTER (WHERE f.stock_level IN ('critical', 'low')))::int AS agg_low`;

  // One pass: the aggregates cover every filtered row before the page is cut. Only the metrics
  // and the sort key are materialised and sorted; the page's rows then fetch the listing's own
  // columns by id.
  const metrics = (alias: string) => sql.raw(METRIC_COLUMNS.map((c) => `${alias}.${c}`).join(', '));
  let rows = await queryRows<
    ProductRow & {
      sort_key: string;
      agg_total: number;
      agg_value: string | null;
      agg_margin: string | null;
      agg_low: number;
    }
  >(
    db,
    sql`WITH ${cte},
        f AS MATERIALIZED (SELECT pm.id, ${metrics('pm')}, pm.price, pm.currency, ${key} AS sk FROM pm WHERE ${and(where)}),
        agg AS (SELECT ${aggregates} FROM f),
        page AS (SELECT f.id, f.sk, agg.*, ${metrics('f')} FROM f CROSS JOIN agg
                 WHERE ${cursorWhere} ORDER BY f.sk ${dir}, f.id ${dir} LIMIT ${input.limit + 1} OFFSET ${offset})
        SELECT ${productColumns}, pm.sk::text AS sort_key, pm.agg_total, pm.agg_value, pm.agg_margin, pm.agg_low
        FROM (SELECT p.*, page.sk, page.agg_total, page.agg_value, page.agg_margin, page.agg_low,
                     ${metrics('page')}
              FROM page JOIN products p ON p.tenant_id = ${tenantId} AND p.id = page.id) pm
        ORDER BY pm.sk ${dir}, pm.id ${dir}`,
  );
  let agg = rows[0]
    ? {
        total: rows[0].agg_total,
        value: rows[0].agg_value,
        avg_margin: rows[0].agg_margin,
        low: rows[0].agg_low,
      }
    : null;
  if (!agg) {
    // Past the last page (or an empty result): the aggregates still describe the filtered set.
    const [a] = await queryRows<{
      total: number;
      value: string | null;
      avg_margin: string | null;
      low: number;
    }>(
      db,
      sql`WITH ${cte} SELECT count(*)::int AS total,
            sum(pm.available * pm.price) FILTER (WHERE trim(pm.currency) = ${currency})::text AS value,
            round(avg(pm.margin), 2)::text AS avg_margin,
            count(*) FILTER (WHERE pm.stock_level IN ('critical', 'low'))::int AS low
          FROM pm WHERE ${and(where)}`,
    );
    agg = a ?? { total: 0, value: null, avg_margin: null, low: 0 };
    rows = [];
  }
  const more = rows.length > input.limit;
  const pageRows = more ? rows.slice(0, input.limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    data: pageRows.map((r) => toProduct(r, prefs.currency)),
    pagination: {
      page: input.cursor ? null : input.page,
      limit: input.limit,
      total: agg.total,
      pages: Math.ceil(agg.total / input.limit),
      nextCursor:
        more && last
          ? encodeCursor({ k: last.sort_key, id: last.id, s: input.sortBy, o: input.sortOrder })
          : null,
    },
    aggregations: {
      totalProducts: agg.total,
      totalValue: money(agg.value ?? '0', currency),
      avgMargin: agg.avg_margin === null ? null : Number(agg.avg_margin),
      lowStockCount: agg.low,
    },
  };
}
