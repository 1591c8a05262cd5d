import { z } from '@hono/zod-openapi';
import { jsonBody, jsonResponse } from '../../lib/api-schemas';
import { parseQuery } from '../../lib/parse-query';
import { getProductDetail } from '../../services/products/detail';
import { listProducts } from '../../services/products/list';
import { bulkUpdateProducts, updateProduct } from '../../services/products/update';
import { protectedRoute } from '../protected-route';
import { createRouter } from '../router';
import {
  AsinParam,
  BulkUpdateBody,
  MarketplaceQuery,
  mergeNestedFilters,
  ProductDetailResponse,
  ProductListQuery,
  ProductListResponse,
  ProductSchema,
  ProductUpdateBody,
} from './schemas';

const list = protectedRoute({
  method: 'get',
  path: '/',
  tags: ['Products'],
  summary: 'Products with 30-day metrics, filters, sorts and aggregations',
  description:
    'Filters are accepted flat (`stockLevel=low&buyBoxStatus=lost&marginMin=10`) or nested ' +
    '(`filters[stockLevel]=low`). Offset pagination (`page`, `limit`) covers the first 1,000 rows; ' +
    'beyond, pass `cursor` = `pagination.nextCursor`. Stock levels: critical (none available or < 7 days), ' +
    'low (< 30 days or at/below minStockAlert), excess (above maxStock or > 180 days), high (> 90 days), normal.',
  permissions: ['products.view'],
  request: { query: ProductListQuery },
  responses: { 200: jsonResponse(ProductListResponse, 'A page of products') },
});

const detail = protectedRoute({
  method: 'get',
  path: '/{asin}',
  tags: ['Products'],
  summary: 'One product: sales, velocity, days of stock, history, competitors, recommendations',
  permissions: ['products.view'],
  request: { params: AsinParam, query: MarketplaceQuery },
  responses: { 200: jsonResponse(ProductDetailResponse, 'The product') },
});

const update = protectedRoute({
  method: 'put',
  path: '/{asin}',
  tags: ['Products'],
  summary: 'Edit planning fields (stock limits, target margin, notes, tags, custom fields)',
  permissions: ['products.edit'],
  request: {
    params: AsinParam,
    query: MarketplaceQuery,
    body: jsonBody(ProductUpdateBody),
  },
  responses: {
    200: jsonResponse(
      z.object({ success: z.literal(true), product: ProductSchema }).openapi('ProductUpdated'),
      'Updated',
    ),
  },
});

const bulk = protectedRoute({
  method: 'post',
  path: '/bulk-update',
  tags: ['Products'],
  summary: 'Apply the same edit to up to 100 ASINs; reports the ones that failed',
  permissions: ['products.edit'],
  request: { body: jsonBody(BulkUpdateBody) },
  responses: {
    200: jsonResponse(
      z
        .object({
          success: z.boolean(),
          updated: z.number().int(),
          failed: z.array(z.string()),
          errors: z.array(z.object({ asin: z.string(), reason: z.string() })),
        })
        .openapi('ProductBulkUpdated'),
      'Per-ASIN outcome',
    ),
  },
});

export const productRoutes = createRouter()
  .openapi(list, async (c) => {
    const raw = c.req.query();
    const input = Object.keys(raw).some((k) => k.startsWith('filters['))
      ? parseQuery(ProductListQuery, mergeNestedFilters(raw))
      : c.req.valid('query');
    return c.json(await listProducts(c.var.ctx, input), 200);
  })
  .openapi(bulk, async (c) => {
    const { asins, updates } = c.req.valid('json');
    return c.json(await bulkUpdateProducts(c.var.ctx, { asins, update: updates }), 200);
  })
  .openapi(detail, async (c) => {
    const { asin } = c.req.valid('param');
    const { marketplaceId } = c.req.valid('query');
    return c.json(await getProductDetail(c.var.ctx, { asin, marketplaceId }), 200);
  })
  .openapi(update, async (c) => {
    const { asin } = c.req.valid('param');
    const { marketplaceId } = c.req.valid('query');
    const result = await updateProduct(c.var.ctx, { asin, marketplaceId, update: c.req.valid('json') });
    return c.json(result, 200);
  });
