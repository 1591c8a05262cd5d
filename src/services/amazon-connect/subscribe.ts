import { and, eq, ne } from 'drizzle-orm';
import { AmazonError } from '../../amazon/errors';
import { grantlessToken } from '../../amazon/lwa';
import { SpApiClient } from '../../amazon/sp-api';
import type { Db } from '../../db/client';
import { amazonSubscriptions } from '../../db/schema';
import type { AppEnv } from '../../env';
import { lwaApplication } from '../amazon-account/lwa';
import { NOTIFICATIONS_SCOPE, unsubscribeAtAmazon } from '../amazon-account/subscriptions';
import type { TenantContext } from '../context';

/** Notifications that drive targeted syncs (one order, one ASIN's offers, one SKU's stock). */
export const NOTIFICATION_TYPES = [
  'ORDER_CHANGE',
  'ANY_OFFER_CHANGED',
  'FBA_INVENTORY_AVAILABILITY_CHANGES',
] as const;

type SubscribeContext = Pick<TenantContext, 'db' | 'env' | 'logger' | 'tenant'>;

/** Our notification destination (one per environment), created on first use. */
async function destinationFor(env: AppEnv, sellerSp: SpApiClient): Promise<string | undefined> {
  // Destinations belong to the application, not the seller: they need a grantless token.
  const grantless = await grantlessToken(lwaApplication(env, 'SPAPI'), NOTIFICATIONS_SCOPE);
  const app = new SpApiClient({ ...sellerSp.config, tokens: { get: async () => grantless.accessToken } });
  const name = `sellerpulse-${env.APP_ENV}`;
  const existing = (await app.getDestinations()).payload ?? [];
  return (
    existing.find((d) => d.name === name)?.destinationId ??
    (await app.createDestination(name, { eventBridge: { accountId: '000000000000', region: 'us-east-1' } }))
      .payload?.destinationId
  );
}

async function subscriptionId(sellerSp: SpApiClient, type: string, destinationId: string) {
  try {
    return (await sellerSp.createSubscription(type, destinationId)).payload?.subscriptionId;
  } catch (err) {
    // 409: already subscribed; read the existing subscription.
    if (!(err instanceof AmazonError) || err.status !== 409) throw err;
    return (await sellerSp.getSubscription(type)).payload?.subscriptionId;
  }
}

export interface Subscribed {
  notificationType: string;
  subscriptionId: string;
  destinationId: string;
}

/**
 * Subscribes the seller at Amazon to the notifications we act on. Best effort: a connection works
 * without them (scheduled syncs still run), so a failure is logged, not thrown.
 */
export async function subscribe(ctx: SubscribeContext, sellerSp: SpApiClient): Promise<Subscribed[]> {
  const done: Subscribed[] = [];
  try {
    const destinationId = await destinationFor(ctx.env, sellerSp);
    if (!destinationId) return done;
    for (const notificationType of NOTIFICATION_TYPES) {
      const id = await subscriptionId(sellerSp, notificationType, destinationId);
      if (id) done.push({ notificationType, subscriptionId: id, destinationId });
    }
  } catch (err) {
    ctx.logger.warn('notification subscription failed', { error: err });
  }
  return done;
}

/** The tenant's subscription rows that belong to another seller than this one. */
const previousSellerRows = (tenantId: string, sellingPartnerId: string) =>
  and(eq(amazonSubscriptions.tenantId, tenantId), ne(amazonSubscriptions.sellingPartnerId, sellingPartnerId));

/**
 * The tenant's subscription rows become exactly the seller's: rows of a previous seller go (their
 * subscriptions were deleted at Amazon before), the new ones are upserted. Run in the connect transaction.
 */
export async function saveSubscriptions(
  db: Db,
  input: { tenantId: string; sellingPartnerId: string; subscribed: Subscribed[] },
): Promise<void> {
  const { tenantId, sellingPartnerId } = input;
  await db.delete(amazonSubscriptions).where(previousSellerRows(tenantId, sellingPartnerId));
  for (const s of input.subscribed) {
    await db
      .insert(amazonSubscriptions)
      .values({ tenantId, sellingPartnerId, ...s })
      .onConflictDoUpdate({
        target: [amazonSubscriptions.tenantId, amazonSubscriptions.notificationType],
        set: {
          sellingPartnerId,
          subscriptionId: s.subscriptionId,
          destinationId: s.destinationId,
          updatedAt: new Date(),
        },
      });
  }
}

/**
 * Re-connecting the tenant to another seller: the previous seller's subscriptions are deleted at
 * Amazon first, so its notifications stop instead of arriving for nobody. (Their rows go in the
 * connect transaction.)
 */
export async function unsubscribePreviousSeller(
  ctx: SubscribeContext,
  sellingPartnerId: string,
): Promise<void> {
  const [previous] = await ctx.db
    .select({ id: amazonSubscriptions.id })
    .from(amazonSubscriptions)
    .where(previousSellerRows(ctx.tenant.id, sellingPartnerId))
    .limit(1);
  if (previous) await unsubscribeAtAmazon(ctx);
}
