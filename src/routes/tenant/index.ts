import { z } from '@hono/zod-openapi';
import { TENANT_PLANS, TENANT_STATUSES } from '../../db/schema/tenants';
import { jsonBody, jsonResponse } from '../../lib/api-schemas';
import { getTenant, updateTenant } from '../../services/tenant';
import { Language, TimeZone } from '../auth/schemas';
import { protectedRoute } from '../protected-route';
import { createRouter } from '../router';

const tags = ['Tenant'];

const TenantSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    plan: z.enum(TENANT_PLANS).openapi({ description: 'Read-only; changed through billing' }),
    status: z.enum(TENANT_STATUSES),
    timezone: z.string(),
    currency: z.string(),
    language: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Tenant');

/** Runtimes without `Intl.supportedValuesOf` accept any well-formed code. */
function isCurrency(code: string): boolean {
  if (typeof Intl.supportedValuesOf !== 'function') return true;
  return Intl.supportedValuesOf('currency').includes(code);
}

const TenantPatch = z
  .object({
    name: z.string().trim().min(2).max(100).optional(),
    timezone: TimeZone.optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. USD')
      .refine(isCurrency, 'Unknown currency')
      .optional(),
    language: Language.optional(),
  })
  // No plan, status or id here: unknown fields are refused, not ignored.
  .strict()
  .openapi('TenantPatch');

const TenantResponse = z.object({ tenant: TenantSchema });

const getRoute = protectedRoute({
  method: 'get',
  path: '/',
  tags,
  summary: "The caller's tenant and its settings",
  permissions: [],
  responses: { 200: jsonResponse(TenantResponse, 'Tenant') },
});

const putRoute = protectedRoute({
  method: 'put',
  path: '/',
  tags,
  summary: 'Change name, timezone, currency or language (plan is read-only)',
  permissions: ['settings.manage'],
  request: { body: jsonBody(TenantPatch) },
  responses: { 200: jsonResponse(TenantResponse, 'Updated tenant') },
});

export const tenantRoutes = createRouter()
  .openapi(getRoute, async (c) => c.json({ tenant: await getTenant(c.var.ctx) }, 200))
  .openapi(putRoute, async (c) =>
    c.json({ tenant: await updateTenant(c.var.ctx, c.req.valid('json')) }, 200),
  );
