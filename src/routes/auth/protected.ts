import { z } from '@hono/zod-openapi';
import { ROLES } from '../../db/schema/roles';
import { protectedRoute } from '../protected-route';
import { AuthTenant, jsonBody, OpaqueToken, PasswordPolicy, TokensSchema } from './schemas';

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
    200: { description: 'Current user', content: { 'application/json': { schema: MeResponse } } },
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
    200: {
      description: 'Signed out (also when the token was already revoked or unknown)',
      content: { 'application/json': { schema: z.object({ success: z.literal(true) }) } },
    },
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
    200: {
      description: 'Password changed',
      content: {
        'application/json': { schema: z.object({ success: z.literal(true), tokens: TokensSchema }) },
      },
    },
  },
});
