import { createRoute, type RouteConfig, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppContext } from '../context';
import type { Permission } from '../db/schema/roles';
import { authenticate, authorize } from '../middleware/auth';

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'VALIDATION_FAILED' }),
      message: z.string(),
      details: z.unknown().optional(),
      requestId: z.string(),
    }),
  })
  .openapi('Error');

const errorContent = { 'application/json': { schema: ErrorResponse } };

/** Error responses every protected route can give, documented once. */
export const protectedErrorResponses = {
  400: { description: 'Invalid input', content: errorContent },
  401: { description: 'Missing, malformed, expired or revoked token', content: errorContent },
  403: { description: 'Role lacks a required permission, or tenant suspended', content: errorContent },
  404: { description: 'Not found (or owned by another tenant)', content: errorContent },
  429: { description: 'Rate limited', content: errorContent },
} as const;

type ProtectedConfig = Omit<RouteConfig, 'security' | 'middleware'> & {
  permissions: Permission[];
  /** Extra middleware, run after authentication (with the per-user rate limit) and the permission check. */
  middleware?: MiddlewareHandler<AppContext>[];
};

type Chain = [typeof authenticate, ReturnType<typeof authorize>];

/**
 * The one way to declare an authenticated endpoint: authentication (which runs the per-user rate
 * limit before it reads the user), the permission check, the OpenAPI security entry and the `x-permissions` list all come from this
 * declaration, so the shared security suite can find and test every protected route from
 * `/api/openapi.json`.
 */
export function protectedRoute<const C extends ProtectedConfig>(config: C) {
  const { permissions, middleware: extra = [], ...route } = config;
  // createRoute cannot infer a config built from a generic spread; the cast restores its exact type.
  return createRoute({
    ...route,
    security: [{ bearerAuth: [] }],
    'x-permissions': permissions,
    middleware: [authenticate, authorize(...permissions), ...extra],
    responses: { ...protectedErrorResponses, ...route.responses },
    // The spread widens the caller's literal config; the assertion gives createRoute back its
    // exact request and response types, so handlers keep a typed `c.req.valid`.
  } as unknown as Omit<C, 'permissions' | 'middleware'> & {
    security: RouteConfig['security'];
    middleware: Chain;
  });
}
