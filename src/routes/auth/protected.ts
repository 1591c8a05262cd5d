import { z } from '@hono/zod-openapi';
import { ROLES } from '../../db/schema/roles';
import { jsonBody, jsonResponse } from '../../lib/api-schemas';
import { protectedRoute } from '../protected-route';
import { AuthTenant, OpaqueToken, PasswordPolicy, TokensSchema } from './schemas';

const tags = ['Auth'];

const MeResponse = z
  .object({
    user: z.object({
      id: z.uuid(),
      email: z.string(),
      fullName: z.string(),
      tenantId: z.uuid(),
      role: z.enum(ROLES),
      phone: z.string().nullable(),
      lastLoginAt: z.string().nullable(),
      permissions: z.array(z.string()),
    }),
    tenant: AuthTenant,
  })
  .openapi('Me');

export const meRoute = protectedRoute({
  method: 'get',
  path: '/me',
  tags,
  summary: 'The signed-in user, their permissions and tenant',
  permissions: [],
  responses: {
    200: jsonResponse(MeResponse, 'Current user'),
  },
});

export const logoutRoute = protectedRoute({
  method: 'post',
  path: '/logout',
  tags,
  summary: 'End this login: revokes the refresh token and every token rotated from it',
  permissions: [],
  request: { body: jsonBody(z.object({ refreshToken: OpaqueToken }).strict().openapi('LogoutRequest')) },
  responses: {
    200: jsonResponse(
      z.object({ success: z.literal(true) }),
      'Signed out (also when the token was already revoked or unknown)',
    ),
  },
});

export const changePasswordRoute = protectedRoute({
  method: 'post',
  path: '/change-password',
  tags,
  summary: 'Change the password; every other session ends, a new one is returned',
  permissions: [],
  request: {
    body: jsonBody(
      z
        .object({ currentPassword: z.string().min(1).max(128), newPassword: PasswordPolicy })
        .strict()
        .openapi('ChangePasswordRequest'),
    ),
  },
  responses: {
    200: jsonResponse(z.object({ success: z.literal(true), tokens: TokensSchema }), 'Password changed'),
  },
});
