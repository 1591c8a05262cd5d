import { z } from '@hono/zod-openapi';
import { ORDER_STATUSES } from '../../db/schema/orders';
import {
  CurrencyQuery,
  enumList,
  jsonResponse,
  LimitQuery,
  limitPageDepth,
  MoneySchema,
  PageQuery,
  PaginationSchema,
  Section,
} from '../../lib/api-schemas';
import { isoDate } from '../../lib/dates';
import { getOrderDetail } from '../../services/orders/detail';
import { listOrders } from '../../services/orders/list';
import { protectedRoute } from '../protected-route';
import { createRouter } from '../router';

const OrderListQuery = z
  .object({
    page: PageQuery,
    limit: LimitQuery,
    startDate: isoDate,
    endDate: isoDate,
    status: enumList(ORDER_STATUSES).openapi({
      description: 'Repeat (`status=Shipped&status=Pending`), `status[]=`, or comma-separate',
    }),
    'status[]': enumList(ORDER_STATUSES),
    fulfillmentChannel: z.enum(['AFN', 'MFN']).optional(),
    marketplaceId: z.string().min(1).max(20).optional(),
    minAmount: z.coerce.number().finite().min(0).optional(),
    maxAmount: z.coerce.number().finite().min(0).optional(),
    sortBy: z.enum(['purchaseDate', 'orderTotal']).default('purchaseDate'),
    sortOrder: z.enum(['asc', 'desc']).default('desc'),
    currency: CurrencyQuery,
  })
  .superRefine((q, ctx) => {
    if (q.minAmount !== undefined && q.maxAmount !== undefined && q.minAmount > q.maxAmount)
      ctx.addIssue({ code: 'custom', path: ['maxAmount'], message: 'maxAmount must be >= minAmount' });
  })
  .superRefine(limitPageDepth);

const OrderSchema = z
  .object({
    amazonOrderId: z.string(),
    marketplaceId: z.string(),
    purchaseDate: z.string().nullable(),
    status: z.string(),
    currency: z.string(),
    orderTotal: MoneySchema.nullable(),
  })
  .passthrough()
  .openapi('Order');

const list = protectedRoute({
  method: 'get',
  path: '/',
  tags: ['Orders'],
  summary: 'Orders purchased in a range of tenant-local days, with a summary in one currency',
  permissions: ['orders.view'],
  request: { query: OrderListQuery },
  responses: {
    200: jsonResponse(
      z
        .object({
          orders: z.array(OrderSchema),
          pagination: PaginationSchema,
          summary: z.object({
            currency: z.string(),
            totalOrders: z.number(),
            totalRevenue: MoneySchema,
            avgOrderValue: MoneySchema,
            totalUnits: z.number(),
          }),
        })
        .openapi('OrderList'),
      'A page of orders',
    ),
  },
});

const detail = protectedRoute({
  method: 'get',
  path: '/{amazonOrderId}',
  tags: ['Orders'],
  summary: 'One order: items, anonymised customer, fulfillment and financials',
  permissions: ['orders.view'],
  request: {
    params: z.object({
      amazonOrderId: z
        .string()
        .regex(/^[A-Za-z0-9-]{3,40}$/)
        .openapi({ param: { name: 'amazonOrderId', in: 'path' }, example: '113-1234567-1234567' }),
    }),
  },
  responses: {
    200: jsonResponse(
      z
        .object({
          order: OrderSchema,
          items: z.array(Section),
          customer: Section,
          fulfillment: Section,
          financial: Section,
        })
        .openapi('OrderDetail'),
      'The order',
    ),
  },
});

export const orderRoutes = createRouter()
  .openapi(list, async (c) => {
    const { startDate, endDate, 'status[]': statusBrackets, ...q } = c.req.valid('query');
    const status = [...(q.status ?? []), ...(statusBrackets ?? [])];
    const result = await listOrders(c.var.ctx, {
      ...q,
      start: startDate,
      end: endDate,
      status: status.length ? status : undefined,
    });
    return c.json(result, 200);
  })
  .openapi(detail, async (c) => {
    return c.json(await getOrderDetail(c.var.ctx, c.req.valid('param')), 200);
  });
