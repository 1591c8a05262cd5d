import { and, eq, inArray, ne } from 'drizzle-orm';
import { AmazonError } from '../../amazon/errors';
import { grantlessToken } from '../../amazon/lwa';
import { amazonSubscriptions } from '../../db/schema';
import { AppError } from '../../lib/errors';
import type { TenantContext } from '../context';
import { spClientWithAccessToken } from './clients';
import { lwaApplication } from './lwa';

/** The scope of the Notifications API's grantless operations (destinations, subscriptions by id). */
export const NOTIFICATIONS_SCOPE = 'sellingpartnerapi::notifications';

type SubscriptionsContext = Pick<TenantContext, 'db' | 'env' | 'tenant'>;

/**
 * The tenant's subscriptions that no other tenant uses. Amazon keeps one subscription per seller
 * and notification type, so tenants connected to the same seller share it: it must stay at Amazon
 * while another of them still has it.
 */
async function ownSubscriptions(ctx: SubscriptionsContext) {
  const rows = await ctx.db
    .select({
      notificationType: amazonSubscriptions.notificationType,
      subscriptionId: amazonSubscriptions.subscriptionId,
      sellingPartnerId: amazonSubscriptions.sellingPartnerId,
    })
    .from(amazonSubscriptions)
    .where(eq(amazonSubscriptions.tenantId, ctx.tenant.id));
  if (rows.length === 0) return rows;
  const shared = await ctx.db
    .selectDistinct({ subscriptionId: amazonSubscriptions.subscriptionId })
    .from(amazonSubscriptions)
    .where(
      and(
        inArray(
          amazonSubscriptions.subscriptionId,
          rows.map((r) => r.subscriptionId),
        ),
        ne(amazonSubscriptions.tenantId, ctx.tenant.id),
      ),
    );
  const sharedIds = new Set(shared.map((s) => s.subscriptionId));
  return rows.filter((r) => !sharedIds.has(r.subscriptionId));
}

/**
 * Deletes the tenant's notification subscriptions at Amazon (grantless deleteSubscriptionById), so
 * Amazon stops sending that seller's notifications. One that is already gone (404) counts as
 * deleted. Any other failure throws AMAZON_API_ERROR (502) before the caller changes anything, so
 * the request can simply be retried. The local rows are the caller's to delete, in its transaction.
 * Returns how many subscriptions were deleted at Amazon.
 */
export async function unsubscribeAtAmazon(ctx: SubscriptionsContext): Promise<number> {
  const own = await ownSubscriptions(ctx);
  if (own.length === 0) return 0;
  try {
    const grantless = await grantlessToken(lwaApplication(ctx.env, 'SPAPI'), NOTIFICATIONS_SCOPE);
    for (const row of own) {
      const app = spClientWithAccessToken(
        ctx.env,
        { tenantId: ctx.tenant.id, sellingPartnerId: row.sellingPartnerId },
        grantless.accessToken,
        'high',
      );
      await app.deleteSubscriptionById(row.notificationType, row.subscriptionId).catch((err: unknown) => {
        if (!(err instanceof AmazonError && err.status === 404)) throw err;
      });
    }
    return own.length;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new AppError(
      'AMAZON_API_ERROR',
      `Deleting the notification subscriptions at Amazon failed: ${reason}`,
    );
  }
}
