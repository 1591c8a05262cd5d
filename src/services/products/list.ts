import { z } from '@hono/zod-openapi';
import { and, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { queryRows } from '../../db/client';
import { products } from '../../db/schema';
import { todayIn } from '../../lib/dates';
import { ValidationError } from '../../lib/errors';
import { money } from '../../lib/money';
import type { TenantContext } from '../context';
import { type ProductRow, toProduct } from './map';
import { metricsOf, pm, productColumns, productMetricsCte } from './metrics-sql';

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
  sales: sql`${pm}.revenue30`,
  profit: sql`${pm}.profit30`,
  stock: sql`${pm}.available::numeric`,
  margin: sql`coalesce(${pm}.margin, -1000000000)`,
  updated: sql`extract(epoch FROM ${pm.updatedAt})`,
};

/** Keyset position: sort key `k` and id of the last row, and the sort (`s`, `o`) it was made for. */
const CursorSchema = z.object({
  k: z.string().regex(/^-?\d+(\.\d+)?$/),
  id: z.string().regex(/^[0-9a-f-]{36}$/),
  s: z.string(),
  o: z.string(),
});
type Cursor = z.infer<typeof CursorSchema>;

function encodeCursor(c: Cursor): string {
  return btoa(JSON.stringify(c)).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '');
}

function decodeCursor(raw: string, input: ProductListInput): Cursor {
  try {
    const c = CursorSchema.parse(JSON.parse(atob(raw.replaceAll('-', '+').replaceAll('_', '/'))));
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
    const code = sql`${pm.asin} = ${exact.toUpperCase()} OR ${pm.sku} = ${exact}`;
    where.push(ts ? sql`(${pm.searchVector} @@ to_tsquery('simple', ${ts}) OR ${code})` : sql`(${code})`);
  }
  if (input.category) where.push(sql`${pm.category} = ${input.category}`);
  if (input.brand) where.push(sql`${pm.brand} = ${input.brand}`);
  if (input.stockLevel) where.push(sql`${pm}.stock_level = ${input.stockLevel}`);
  if (input.buyBoxStatus) where.push(sql`${pm.buyBoxStatus} = ${input.buyBoxStatus}`);
  if (input.marginMin !== undefined) where.push(sql`${pm}.margin >= ${input.marginMin}`);
  if (input.marginMax !== undefined) where.push(sql`${pm}.margin <= ${input.marginMax}`);
  if (input.priceMin !== undefined) where.push(sql`${pm.price} >= ${input.priceMin}`);
  if (input.priceMax !== undefined) where.push(sql`${pm.price} <= ${input.priceMax}`);
  if (input.isActive !== undefined) where.push(sql`${pm.isActive} = ${input.isActive}`);
  if (input.fulfillmentChannel === 'FBA' || input.fulfillmentChannel === 'FBM')
    where.push(sql`${pm.fulfillmentChannel} = ${input.fulfillmentChannel}`);
  return where;
}

type ProductsContext = Pick<TenantContext, 'db' | 'tenant'>;

/** The filtered set's totals, before the page is cut. */
type ProductAggregatesRow = {
  agg_total: number;
  agg_value: string | null;
  agg_margin: string | null;
  agg_low: number;
};

/** A product of the page, with its sort key (for the cursor) and the filtered set's totals. */
type ProductPageRow = ProductRow & ProductAggregatesRow & { sort_key: string };

/** What a page and its aggregates are read from: the metrics CTE and the filtered listings `f`. */
interface ProductQuery {
  tenantId: string;
  /** `WITH …` up to and including `f` (id, metrics, price, currency and sort key `sk` of each match). */
  filtered: SQL;
  /** Aggregate columns over `f`, `agg_total` … `agg_low`. */
  aggregates: SQL;
}

function productQuery(ctx: ProductsContext, input: ProductListInput): ProductQuery {
  const currency = input.currency ?? ctx.tenant.currency;
  const where = and(...filters(input)) ?? sql`true`;
  const cte = productMetricsCte(ctx.tenant.id, todayIn(ctx.tenant.timezone));
  return {
    tenantId: ctx.tenant.id,
    filtered: sql`WITH ${cte},
      f AS MATERIALIZED (SELECT ${pm.id} AS id, ${metricsOf(sql`${pm}`)}, ${pm.price} AS price,
                                ${pm.currency} AS currency, ${SORT_KEYS[input.sortBy]} AS sk
                         FROM ${pm} WHERE ${where})`,
    aggregates: sql`count(*)::int AS agg_total,
      (sum(f.available * f.price) FILTER (WHERE trim(f.currency) = ${currency}))::text AS agg_value,
      round(avg(f.margin), 2)::text AS agg_margin,
      (count(*) FILTER (WHERE f.stock_level IN ('critical', 'low')))::int AS agg_low`,
  };
}

/** Rows of `f` after the cursor (keyset pagination on sort key, then id). */
function afterCursor(input: ProductListInput): SQL {
  if (!input.cursor) return sql`true`;
  const c = decodeCursor(input.cursor, input);
  return input.sortOrder === 'asc'
    ? sql`(f.sk > ${c.k}::numeric OR (f.sk = ${c.k}::numeric AND f.id > ${c.id}::uuid))`
    : sql`(f.sk < ${c.k}::numeric OR (f.sk = ${c.k}::numeric AND f.id < ${c.id}::uuid))`;
}

/**
 * One pass: the aggregates cover every filtered row before the page is cut. Only the metrics and
 * the sort key are materialised and sorted; the page's rows then fetch the listing's own columns by
 * id. One row more than the page tells whether another page follows.
 */
function productPage(ctx: ProductsContext, q: ProductQuery, input: ProductListInput) {
  const dir = input.sortOrder === 'asc' ? sql.raw('ASC') : sql.raw('DESC');
  const offset = input.cursor ? 0 : (input.page - 1) * input.limit;
  const listing = alias(products, 'p');
  return queryRows<ProductPageRow>(
    ctx.db,
    sql`${q.filtered},
        agg AS (SELECT ${q.aggregates} FROM f),
        page AS (SELECT f.id, f.sk, agg.*, ${metricsOf(sql`f`)} FROM f CROSS JOIN agg
                 WHERE ${afterCursor(input)} ORDER BY f.sk ${dir}, f.id ${dir}
                 LIMIT ${input.limit + 1} OFFSET ${offset})
        SELECT ${productColumns}, ${pm}.sk::text AS sort_key, ${pm}.agg_total AS agg_total,
               ${pm}.agg_value AS agg_value, ${pm}.agg_margin AS agg_margin, ${pm}.agg_low AS agg_low
        FROM (SELECT ${listing}.*, page.sk, page.agg_total, page.agg_value, page.agg_margin, page.agg_low,
                     ${metricsOf(sql`page`)}
              FROM page JOIN ${products} ${listing} ON ${listing.tenantId} = ${q.tenantId} AND ${listing.id} = page.id) ${pm}
        ORDER BY ${pm}.sk ${dir}, ${pm.id} ${dir}`,
  );
}

/** The aggregates alone, for a page past the end (or an empty result), where no row carries them. */
async function productAggregates(ctx: ProductsContext, q: ProductQuery): Promise<ProductAggregatesRow> {
  const [row] = await queryRows<ProductAggregatesRow>(
    ctx.db,
    sql`${q.filtered} SELECT ${q.aggregates} FROM f`,
  );
  return row ?? { agg_total: 0, agg_value: null, agg_margin: null, agg_low: 0 };
}

function assertOffsetWindow(input: ProductListInput): void {
  if (input.cursor || input.page * input.limit <= MAX_OFFSET_ROWS) return;
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

/** Products with their 30-day metrics, filtered and sorted; aggregates describe every match. */
export async function listProducts(ctx: ProductsContext, input: ProductListInput) {
  assertOffsetWindow(input);
  const q = productQuery(ctx, input);
  const rows = await productPage(ctx, q, input);
  const agg = rows[0] ?? (await productAggregates(ctx, q));
  const more = rows.length > input.limit;
  const pageRows = more ? rows.slice(0, input.limit) : rows;
  const last = pageRows[pageRows.length - 1];
  const currency = input.currency ?? ctx.tenant.currency;
  return {
    data: pageRows.map((r) => toProduct(r, ctx.tenant.currency)),
    pagination: {
      page: input.cursor ? null : input.page,
      limit: input.limit,
      total: agg.agg_total,
      pages: Math.ceil(agg.agg_total / input.limit),
      nextCursor:
        more && last
          ? encodeCursor({ k: last.sort_key, id: last.id, s: input.sortBy, o: input.sortOrder })
          : null,
    },
    aggregations: {
      totalProducts: agg.agg_total,
      totalValue: money(agg.agg_value ?? '0', currency),
      avgMargin: agg.agg_margin === null ? null : Number(agg.agg_margin),
      lowStockCount: agg.agg_low,
    },
  };
}
