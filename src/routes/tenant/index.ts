import { z } from '@hono/zod-openapi';
import { TENANT_PLANS, TENANT_STATUSES } from '../../db/schema/tenants';
import { ValidationError } from '../../lib/errors';
import { getTenant, updateTenant } from '../../services/tenant';
import { jsonBody, Language, TimeZone } from '../auth/schemas';
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

function isCurrency(code: string): boolean {
  const known = (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('currency');
  return known ? known.includes(code) : true;
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

const ok = { 'application/json': { schema: z.object({ tenant: TenantSchema }) } };

const getRoute = protectedRoute({
  method: 'get',
  path: '/',
  tags,
  summary: "The caller's tenant and its settings",
  permissions: [],
  responses: { 200: { description: 'Tenant', content: ok } },
});

const putRoute = protectedRoute({
  method: 'put',
  path: '/',
  tags,
  summary: 'Change name, timezone, currency or language (plan is read-only)',
  permissions: ['settings.manage'],
  request: { body: jsonBody(TenantPatch) },
  responses: { 200: { description: 'Updated tenant', content: ok } },
});

const ctxOf = (c: {
  var: { db: import('../../db/client').Database; auth: { tenantId: string; userId: string } };
}) => ({
  db: c.var.db,
  tenantId: c.var.auth.tenantId,
  userId: c.var.auth.userId,
});

export const tenantRoutes = createRouter()
  .openapi(getRoute, async (c) => c.json({ tenant: await getTenant(ctxOf(c)) }, 200))
  .openapi(putRoute, async (c) => {
    const patch = c.req.valid('json');
    if (Object.keys(patch).length === 0) {
      throw new ValidationError('Nothing to update', [
        {
          field: 'json',
          message: 'Give at least one of name, timezone, currency, language',
          code: 'too_small',
        },
      ]);
    }
    return c.json({ tenant: await updateTenant(ctxOf(c), patch) }, 200);
  });
