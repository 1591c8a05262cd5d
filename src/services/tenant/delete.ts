import { and, eq } from 'drizzle-orm';
import { tenants, users } from '../../db/schema';
import { ForbiddenError, ValidationError } from '../../lib/errors';
import { burnPasswordCheck, verifyPassword } from '../../lib/password';
import { unsubscribeAtAmazon } from '../amazon-account/subscriptions';
import type { RequestContext } from '../context';

/** The owner re-enters the password: a stolen access token alone cannot delete a tenant. */
async function checkOwnerPassword(
  ctx: Pick<RequestContext, 'db' | 'tenant' | 'actor'>,
  password: string,
): Promise<void> {
  // settings.manage is shared with admins; deleting the whole tenant is the owner's alone.
  if (ctx.actor.role !== 'owner') throw new ForbiddenError('Only an owner can delete the tenant');
  const [owner] = await ctx.db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(and(eq(users.id, ctx.actor.userId), eq(users.tenantId, ctx.tenant.id)))
    .limit(1);
  const valid = owner?.passwordHash
    ? (await verifyPassword(password, owner.passwordHash)).valid
    : await burnPasswordCheck(password).then(() => false);
  if (!valid) {
    throw new ValidationError('Password is incorrect', [
      { field: 'json.password', message: 'Password is incorrect', code: 'invalid' },
    ]);
  }
}

/**
 * DELETE /api/tenant: removes the tenant and everything it owns, at once. Amazon is told first
 * (the seller's notification subscriptions are deleted; if that fails nothing is deleted and the
 * call can be repeated). Then one DELETE of the tenant row: every tenant-owned table references
 * tenants(id) ON DELETE CASCADE, so its users, their refresh tokens (every session), credentials
 * and all synced and derived data go in the same statement. Access tokens stop working at once:
 * each request re-reads its user, who no longer exists.
 */
export async function deleteTenant(
  ctx: Pick<RequestContext, 'db' | 'env' | 'logger' | 'tenant' | 'actor'>,
  input: { password: string },
): Promise<void> {
  await checkOwnerPassword(ctx, input.password);
  await unsubscribeAtAmazon(ctx);
  await ctx.db.delete(tenants).where(eq(tenants.id, ctx.tenant.id));
  // The tenant's own activity log is gone with it; this line is the operator's record.
  ctx.logger.info('tenant deleted', { tenantId: ctx.tenant.id, userId: ctx.actor.userId });
}
