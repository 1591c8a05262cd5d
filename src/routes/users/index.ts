import { z } from '@hono/zod-openapi';
import { ROLES } from '../../db/schema/roles';
import { DisplayName, jsonBody, jsonResponse } from '../../lib/api-schemas';
import { inviteMember, listMembers, updateMember } from '../../services/users';
import { Email } from '../auth/schemas';
import { ErrorResponse, protectedRoute } from '../protected-route';
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
    200: jsonResponse(z.object({ users: z.array(Member) }), 'Members'),
  },
});

const InviteBody = z
  .object({
    email: Email,
    fullName: DisplayName,
    role: z.enum(ROLES).openapi({ description: 'Only an owner may add another owner' }),
  })
  .strict()
  .openapi('InviteRequest');

const inviteRoute = protectedRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Add a member; the one-time invite link is mailed to them (never returned)',
  permissions: ['users.manage'],
  request: { body: jsonBody(InviteBody) },
  responses: {
    201: jsonResponse(
      z.object({
        user: Member,
        invite: z
          .object({ id: z.uuid(), expiresAt: z.string() })
          .openapi({ description: 'The pending invite; its link goes only to the invitee by mail' }),
      }),
      'Member created and invited',
    ),
    409: jsonResponse(ErrorResponse, 'Email already exists'),
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
    200: jsonResponse(z.object({ user: Member }), 'Updated member'),
    409: jsonResponse(ErrorResponse, 'Would leave no active owner'),
  },
});

export const usersRoutes = createRouter()
  .openapi(listRoute, async (c) => c.json({ users: await listMembers(c.var.ctx) }, 200))
  .openapi(inviteRoute, async (c) => c.json(await inviteMember(c.var.ctx, c.req.valid('json')), 201))
  .openapi(patchRoute, async (c) => {
    const input = { userId: c.req.valid('param').id, ...c.req.valid('json') };
    return c.json({ user: await updateMember(c.var.ctx, input) }, 200);
  });
