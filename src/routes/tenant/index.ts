import { z } from '@hono/zod-openapi';
import { TENANT_PLANS, TENANT_STATUSES } from '../../db/schema/tenants';
import { DisplayName, jsonBody, jsonResponse } from '../../lib/api-schemas';
import { getTenant, updateTenant } from '../../services/tenant';
import { deleteTenant } from '../../services/tenant/delete';
import { Language, TimeZone } from '../auth/schemas';
import { ErrorResponse, protectedRoute } from '../protected-route';
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
    name: DisplayName.optional(),
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

const deleteRoute = protectedRoute({
  method: 'delete',
  path: '/',
  tags,
  summary: 'Delete the tenant and everything it owns (owner only, password re-entered)',
  description:
    'Only an owner (settings.manage is not enough: admins get 403), with their password in the ' +
    "body (400 when wrong). First the seller's notification subscriptions are deleted at Amazon " +
    '(502 and nothing deleted if Amazon fails). Then, in one statement, the tenant and every row ' +
    'it owns: users and every session, Amazon credentials, synced orders, products, inventory, ' +
    'prices, finance, settlements, rollups, Ads data, sync jobs, notifications, alerts, activity ' +
    'log and outbox. Access and refresh tokens stop working at once. Answers 204.',
  permissions: ['settings.manage'],
  request: {
    body: jsonBody(
      z
        .object({ password: z.string().min(1).max(128).openapi({ description: "The owner's password" }) })
        .strict()
        .openapi('DeleteTenantRequest'),
    ),
  },
  responses: {
    204: { description: 'Deleted' },
    502: jsonResponse(ErrorResponse, 'Amazon failed to delete the subscriptions; nothing was deleted'),
  },
});

export const tenantRoutes = createRouter()
  .openapi(getRoute, async (c) => c.json({ tenant: await getTenant(c.var.ctx) }, 200))
  .openapi(putRoute, async (c) => c.json({ tenant: await updateTenant(c.var.ctx, c.req.valid('json')) }, 200))
  .openapi(deleteRoute, async (c) => {
    await deleteTenant(c.var.ctx, c.req.valid('json'));
    return c.body(null, 204);
  });
