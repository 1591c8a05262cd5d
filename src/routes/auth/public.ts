import { createRoute, z } from '@hono/zod-openapi';
import { DisplayName, jsonBody, jsonResponse } from '../../lib/api-schemas';
import { authRateLimit, ipRateLimit } from '../../middleware/client-rate-limit';
import { ErrorResponse } from '../protected-route';
import {
  Email,
  Language,
  OpaqueToken,
  PasswordPolicy,
  SessionResponse,
  TimeZone,
  TokensSchema,
} from './schemas';

const RegisterBody = z
  .object({
    email: Email,
    password: PasswordPolicy,
    fullName: DisplayName,
    companyName: DisplayName,
    phone: z.string().trim().min(5).max(32).optional(),
    timezone: TimeZone.optional(),
    language: Language.optional(),
  })
  .strict()
  .openapi('RegisterRequest');

const LoginBody = z
  .object({ email: Email, password: z.string().min(1).max(128) })
  .strict()
  .openapi('LoginRequest');

const RefreshBody = z.object({ refreshToken: OpaqueToken }).strict().openapi('RefreshRequest');

const AcceptInviteBody = z
  .object({ token: OpaqueToken, password: PasswordPolicy })
  .strict()
  .openapi('AcceptInviteRequest');

const tags = ['Auth'];
const err = (description: string) => jsonResponse(ErrorResponse, description);

export const registerRoute = createRoute({
  method: 'post',
  path: '/register',
  tags,
  summary: 'Create a tenant (STARTER) and its owner; returns tokens',
  middleware: [authRateLimit] as const,
  request: { body: jsonBody(RegisterBody) },
  responses: {
    201: jsonResponse(SessionResponse, 'Registered'),
    400: err('Invalid input'),
    409: err('Email already exists'),
    429: err('Too many requests from this address'),
  },
});

export const loginRoute = createRoute({
  method: 'post',
  path: '/login',
  tags,
  summary: 'Sign in with email and password',
  middleware: [authRateLimit] as const,
  request: { body: jsonBody(LoginBody) },
  responses: {
    200: jsonResponse(SessionResponse, 'Signed in'),
    400: err('Invalid input'),
    401: err('Invalid email or password'),
    403: err('User deactivated or tenant suspended'),
    429: err('Account locked after failed attempts, or too many requests'),
  },
});

export const refreshRoute = createRoute({
  method: 'post',
  path: '/refresh',
  tags,
  summary: 'Rotate a refresh token: returns a new access and refresh token',
  middleware: [ipRateLimit] as const,
  request: { body: jsonBody(RefreshBody) },
  responses: {
    200: jsonResponse(TokensSchema, 'New tokens'),
    400: err('Invalid input'),
    401: err('Invalid, expired, revoked or reused refresh token'),
    403: err('Tenant suspended'),
  },
});

export const acceptInviteRoute = createRoute({
  method: 'post',
  path: '/accept-invite',
  tags,
  summary: 'Set the password of an invited member with the one-time invite token',
  middleware: [authRateLimit] as const,
  request: { body: jsonBody(AcceptInviteBody) },
  responses: {
    200: jsonResponse(SessionResponse, 'Password set; signed in'),
    400: err('Invalid input'),
    401: err('Invalid, used or expired invite token'),
    403: err('User deactivated or tenant suspended'),
  },
});
