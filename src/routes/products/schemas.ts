import { z } from '@hono/zod-openapi';
import { BoolQuery, CurrencyQuery, LimitQuery, MoneySchema, PageQuery, Section } from '../../lib/api-schemas';
import { PRODUCT_SORTS, STOCK_LEVELS } from '../../services/products/list';

const num = z.coerce.number().finite();

/** Filters may come flat (`stockLevel=low`) or nested (`filters[stockLevel]=low`); flat wins. */
export const ProductListQuery = z
  .object({
    page: PageQuery,
    limit: LimitQuery,
    cursor: z
      .string()
      .max(500)
      .optional()
      .openapi({ description: 'nextCursor of the previous page (past 1,000 rows)' }),
    search: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: 'ASIN, SKU or words of the title' }),
    category: z.string().max(200).optional(),
    brand: z.string().max(200).optional(),
    sortBy: z.enum(PRODUCT_SORTS).default('sales'),
    sortOrder: z.enum(['asc', 'desc']).default('desc'),
    stockLevel: z.enum(STOCK_LEVELS).optional(),
    buyBoxStatus: z.enum(['winner', 'lost', 'suppressed']).optional(),
    marginMin: num.min(-1000).max(100).optional(),
    marginMax: num.min(-1000).max(100).optional(),
    priceMin: num.min(0).optional(),
    priceMax: num.min(0).optional(),
    isActive: BoolQuery.optional(),
    fulfillmentChannel: z.enum(['FBA', 'FBM', 'both']).optional(),
    currency: CurrencyQuery,
  })
  .superRefine((q, ctx) => {
    if (q.marginMin !== undefined && q.marginMax !== undefined && q.marginMin > q.marginMax)
      ctx.addIssue({ code: 'custom', path: ['marginMax'], message: 'marginMax must be >= marginMin' });
    if (q.priceMin !== undefined && q.priceMax !== undefined && q.priceMin > q.priceMax)
      ctx.addIssue({ code: 'custom', path: ['priceMax'], message: 'priceMax must be >= priceMin' });
  });

/** Copies `filters[x]=v` to `x=v` unless `x` was given flat. */
export function mergeNestedFilters(query: Record<string, string>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    const m = /^filters\[(\w+)\]$/.exec(k);
    if (!m) merged[k] = v;
  }
  for (const [k, v] of Object.entries(query)) {
    const m = /^filters\[(\w+)\]$/.exec(k);
    if (m?.[1] && merged[m[1]] === undefined) merged[m[1]] = v;
  }
  return merged;
}

export const AsinParam = z.object({
  asin: z
    .string()
    .regex(/^[A-Z0-9]{10}$/, 'expected a 10-character ASIN')
    .openapi({ param: { name: 'asin', in: 'path' }, example: 'B0EXAMPLE1' }),
});

export const MarketplaceQuery = z.object({
  marketplaceId: z.string().min(1).max(20).optional().openapi({
    description: 'One listing; default: every listing of the ASIN (PUT) or the latest updated (GET)',
  }),
});

const editable = {
  minStockAlert: z.number().int().min(0).max(10_000_000).nullable().optional(),
  maxStock: z.number().int().min(1).max(10_000_000).nullable().optional(),
  targetMargin: z.number().min(0).max(100).nullable().optional(),
  notes: z.string().max(500).nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(50)).max(10).optional(),
  customFields: z
    .record(z.string().min(1).max(50), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
    .refine((o) => Object.keys(o).length <= 50, 'at most 50 custom fields')
    .optional(),
  leadTimeDays: z.number().int().min(0).max(365).optional(),
  safetyStockDays: z.number().int().min(0).max(365).optional(),
};

function stockLimits(b: { minStockAlert?: number | null; maxStock?: number | null }, ctx: z.RefinementCtx) {
  if (b.minStockAlert != null && b.maxStock != null && b.maxStock <= b.minStockAlert)
    ctx.addIssue({
      code: 'custom',
      path: ['maxStock'],
      message: 'maxStock must be greater than minStockAlert',
    });
}

export const ProductUpdateBody = z
  .object(editable)
  .strict()
  .superRefine(stockLimits)
  .openapi('ProductUpdate');

export const BulkUpdateBody = z
  .object({
    asins: z
      .array(z.string().regex(/^[A-Z0-9]{10}$/, 'expected a 10-character ASIN'))
      .min(1)
      .max(100),
    updates: z.object(editable).strict().superRefine(stockLimits),
  })
  .strict()
  .openapi('ProductBulkUpdate');

export const ProductSchema = z
  .object({
    id: z.string(),
    asin: z.string(),
    marketplaceId: z.string(),
    sku: z.string().nullable(),
    title: z.string().nullable(),
    brand: z.string().nullable(),
    category: z.string().nullable(),
    currency: z.string(),
    price: MoneySchema.nullable(),
    buyBoxStatus: z.string(),
    isActive: z.boolean(),
    metrics: z.object({
      sales30d: MoneySchema,
      units30d: z.number(),
      profit30d: MoneySchema,
      margin: z.number().nullable(),
      velocity: z.number(),
      daysOfStock: z.number().nullable(),
      stockLevel: z.string(),
    }),
  })
  .passthrough()
  .openapi('Product');

export const ProductListResponse = z
  .object({
    data: z.array(ProductSchema),
    pagination: z.object({
      page: z.number().nullable(),
      limit: z.number(),
      total: z.number(),
      pages: z.number(),
      nextCursor: z.string().nullable(),
    }),
    aggregations: z.object({
      totalProducts: z.number(),
      totalValue: MoneySchema,
      avgMargin: z.number().nullable(),
      lowStockCount: z.number(),
    }),
  })
  .openapi('ProductList');

export const ProductDetailResponse = z
  .object({
    product: ProductSchema,
    metrics: Section,
    history: Section,
    competitors: Section,
    recommendations: Section,
  })
  .openapi('ProductDetail');
