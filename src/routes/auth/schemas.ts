import { z } from '@hono/zod-openapi';
import { ROLES } from '../../db/schema/roles';
import { TENANT_PLANS } from '../../db/schema/tenants';
import { OPAQUE_TOKEN_PATTERN } from '../../lib/tokens';

/** PRD §5.4: at least 8 characters with an upper-case letter, a lower-case letter, a digit and a special character. */
export const PasswordPolicy = z
  .string()
  .min(8, 'At least 8 characters')
  .max(128, 'At most 128 characters')
  .regex(/[a-z]/, 'Needs a lower-case letter')
  .regex(/[A-Z]/, 'Needs an upper-case letter')
  .regex(/\d/, 'Needs a digit')
  .regex(/[^A-Za-z0-9]/, 'Needs a special character')
  .openapi({ example: 'Str0ng!Passw0rd' });

export const Email = z.email().max(254).openapi({ example: 'owner@example.com' });

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isTimeZone, 'Not an IANA time zone')
  .openapi({ example: 'America/Sao_Paulo' });

export const Language = z.enum(['pt-BR', 'en-US']);

export const OpaqueToken = z.string().regex(OPAQUE_TOKEN_PATTERN, 'Malformed token');

export const TokensSchema = z
  .object({
    accessToken: z.string().openapi({ description: 'JWT (HS256), 15 minutes' }),
    refreshToken: z.string().openapi({ description: 'Opaque, 30 days, single use (rotated on refresh)' }),
    expiresIn: z.number().int().openapi({ description: 'Access token lifetime in seconds', example: 900 }),
  })
  .openapi('Tokens');

export const AuthUser = z
  .object({
    id: z.uuid(),
    email: z.string(),
    fullName: z.string(),
    tenantId: z.uuid(),
    role: z.enum(ROLES),
  })
  .openapi('AuthUser');

export const AuthTenant = z
  .object({
    id: z.uuid(),
    name: z.string(),
    plan: z.enum(TENANT_PLANS),
    settings: z.record(z.string(), z.unknown()),
  })
  .openapi('AuthTenant');

export const SessionResponse = z
  .object({ success: z.literal(true), user: AuthUser, tokens: TokensSchema, tenant: AuthTenant })
  .openapi('Session');
