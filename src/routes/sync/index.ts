import { z } from '@hono/zod-openapi';
import { SYNC_PRIORITIES, SYNC_TYPES } from '../../db/schema/sync';
import {
  jsonBody,
  jsonContent,
  jsonResponse,
  LimitQuery,
  limitPageDepth,
  PageQuery,
  PaginationSchema,
} from '../../lib/api-schemas';
import { isoDateOrDateTime } from '../../lib/dates';
import { syncRateLimit } from '../../middleware/client-rate-limit';
import { FINAL_STATUSES } from '../../services/sync/engine/jobs';
import { manualSync } from '../../services/sync/manual';
import { syncHistory, syncStatus } from '../../services/sync/status';
import { ErrorResponse, protectedRoute } from '../protected-route';
import { createRouter } from '../router';

const tags = ['Sync'];

const IsoDate = isoDateOrDateTime;

const ManualBody = z
  .object({
    types: z
      .array(z.enum(SYNC_TYPES))
      .min(1)
      .max(5)
      .openapi({ example: ['orders', 'inventory'] }),
    priority: z
      .enum(SYNC_PRIORITIES)
      .optional()
      .openapi({ description: 'Default high: manual work goes ahead of scheduled work' }),
    dateRange: z
      .object({ startDate: IsoDate, endDate: IsoDate })
      .strict()
      .refine((r) => Date.parse(r.startDate) < Date.parse(r.endDate), {
        message: 'startDate must be before endDate',
        path: ['endDate'],
      })
      .refine((r) => Date.parse(r.endDate) - Date.parse(r.startDate) <= 731 * 86_400_000, {
        message: 'at most two years',
        path: ['endDate'],
      })
      .optional(),
  })
  .strict()
  .openapi('ManualSyncRequest');

const SyncJob = z
  .object({
    id: z.string(),
    type: z.enum(SYNC_TYPES),
    trigger: z.string(),
    priority: z.string(),
    status: z.string(),
    progress: z.number(),
    recordsProcessed: z.number(),
    errorCount: z.number(),
    errorMessage: z.string().nullable(),
    attempts: z.number(),
    range: z.object({ start: z.string(), end: z.string() }).nullable(),
    queuedAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    durationMs: z.number().nullable(),
  })
  .openapi('SyncJob');

const manualRoute = protectedRoute({
  method: 'post',
  path: '/manual',
  tags,
  summary: 'Queue a sync now; estimatedTime comes from the seller’s remaining SP-API quota',
  permissions: ['sync.run'],
  // PRD §5.3: 10 manual syncs per hour per tenant (ENTERPRISE unlimited), refused before any job is queued.
  middleware: [syncRateLimit],
  request: { body: jsonBody(ManualBody) },
  responses: {
    202: jsonResponse(
      z.object({
        jobId: z.string(),
        status: z.enum(['queued', 'processing']),
        estimatedTime: z.number().int().openapi({ description: 'seconds' }),
        jobs: z.array(z.object({ jobId: z.string(), type: z.enum(SYNC_TYPES) })),
      }),
      'Queued',
    ),
    409: jsonResponse(ErrorResponse, 'Amazon account not connected'),
  },
});

const statusRoute = protectedRoute({
  method: 'get',
  path: '/status',
  tags,
  summary: 'Running and queued jobs, last sync, next scheduled sync, API health and rate-limit state',
  permissions: ['sync.view'],
  responses: { 200: { description: 'Sync status', content: jsonContent(z.record(z.string(), z.unknown())) } },
});

const HistoryQuery = z
  .object({
    startDate: IsoDate.optional(),
    endDate: IsoDate.optional(),
    type: z.enum(SYNC_TYPES).optional(),
    status: z.enum(FINAL_STATUSES).optional(),
    page: PageQuery,
    limit: LimitQuery,
  })
  .strict()
  .superRefine(limitPageDepth);

const historyRoute = protectedRoute({
  method: 'get',
  path: '/history',
  tags,
  summary: 'Finished sync jobs with success rate, average duration and total records',
  permissions: ['sync.view'],
  request: { query: HistoryQuery },
  responses: {
    200: jsonResponse(
      z.object({
        history: z.array(SyncJob),
        pagination: PaginationSchema,
        statistics: z.object({
          successRate: z.number(),
          avgDuration: z.number(),
          totalRecords: z.number(),
        }),
      }),
      'History',
    ),
  },
});

export const syncRoutes = createRouter()
  .openapi(manualRoute, async (c) => c.json(await manualSync(c.var.ctx, c.req.valid('json')), 202))
  .openapi(statusRoute, async (c) => c.json(await syncStatus(c.var.ctx), 200))
  .openapi(historyRoute, async (c) => c.json(await syncHistory(c.var.ctx, c.req.valid('query')), 200));
