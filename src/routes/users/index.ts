import { z } from '@hono/zod-openapi';
import { ROLES } from '../../db/schema/roles';
import { assertPatchNotEmpty, inviteMember, listMembers, updateMember } from '../../services/users';
import { Email, jsonBody } from '../auth/schemas';
import { protectedRoute } from '../protected-route';
import { createRouter } from '../router';

const tags = ['Users'];

const Member = z
  .object({
    id: z.uuid(),
    email: z.string(),
    fullName: z.string(),
    role: z.enum(ROLES),
    isActive: z.boolean(),
    status: z.enum(['active', 'invited', 'inactive']),
    lastLoginAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Member');

const listRoute = protectedRoute({
  method: 'get',
  path: '/',
  tags,
  summary: "The tenant's members",
  permissions: ['users.manage'],
  responses: {
    200: {
      description: 'Members',
      content: { 'application/json': { schema: z.object({ users: z.array(Member) }) } },
    },
  },
});

const InviteBody = z
  .object({
    email: Email,
    fullName: z.string().trim().min(2).max(100),
    role: z.enum(ROLES).openapi({ description: 'Only an owner may add another owner' }),
  })
  .strict()
  .openapi('InviteRequest');

const inviteRoute = protectedRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Add a member; they set a password with the one-time invite token (also mailed)',
  permissions: ['users.manage'],
  request: { body: jsonBody(InviteBody) },
  responses: {
    201: {
      description: 'Member created and invited',
      content: {
        'application/json': {
          schema: z.object({
            user: Member,
            invite: z.object({ token: z.string(), url: z.string(), expiresAt: z.string() }),
          }),
        },
      },
    },
    409: { description: 'Email already exists', content: { 'application/json': { schema: z.unknown() } } },
  },
});

const PatchBody = z
  .object({ role: z.enum(ROLES).optional(), isActive: z.boolean().optional() })
  .strict()
  .openapi('MemberPatch');

const patchRoute = protectedRoute({
  method: 'patch',
  path: '/{id}',
  tags,
  summary: "Change a member's role or deactivate them (deactivation ends their sessions)",
  permissions: ['users.manage'],
  request: {
    params: z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) }),
    body: jsonBody(PatchBody),
  },
  responses: {
    200: {
      description: 'Updated member',
      content: { 'application/json': { schema: z.object({ user: Member }) } },
    },
    409: {
      description: 'Would leave no active owner',
      content: { 'application/json': { schema: z.unknown() } },
    },
  },
});

/** The web app's origin for invite links: the first configured CORS origin. */
function appOrigin(corsOrigins: string): string | undefined {
  return corsOrigins
    .split(',')
    .map((o) => o.trim())
    .find((o) => o && o !== '*');
}

const ctxOf = (c: {
  var: { db: import('../../db/client').Database; auth: { tenantId: string; userId: string; role: string } };
}) => ({
  db: c.var.db,
  tenantId: c.var.auth.tenantId,
  actor: { userId: c.var.auth.userId, role: c.var.auth.role },
});

export const usersRoutes = createRouter()
  .openapi(listRoute, async (c) => c.json({ users: await listMembers(ctxOf(c)) }, 200))
  .openapi(inviteRoute, async (c) =>
    c.json(await inviteMember(ctxOf(c), c.req.valid('json'), appOrigin(c.env.CORS_ORIGINS)), 201),
  )
  .openapi(patchRoute, async (c) => {
    const patch = c.req.valid('json');
    assertPatchNotEmpty(patch);
    return c.json({ user: await updateMember(ctxOf(c), c.req.valid('param').id, patch) }, 200);
  });
