import { and, eq, ne, sql } from 'drizzle-orm';
import { AmazonError } from '../../amazon/errors';
import { exchangeAuthorizationCode, grantlessToken } from '../../amazon/lwa';
import { SpApiClient } from '../../amazon/sp-api';
import type { MarketplaceParticipation } from '../../amazon/sp-types';
import type { Db } from '../../db/client';
import {
  type AmazonCredential,
  amazonCredentials,
  amazonSubscriptions,
  tenantMarketplaces,
} from '../../db/schema';
import type { AppEnv } from '../../env';
import { AppError, ValidationError } from '../../lib/errors';
import { spClientWithAccessToken } from '../amazon-account/clients';
import { type CredentialType, storeCredential } from '../amazon-account/credentials';
import { lwaApplication } from '../amazon-account/lwa';
import { NOTIFICATIONS_SCOPE, unsubscribeAtAmazon } from '../amazon-account/subscriptions';
import type { TenantContext } from '../context';
import { enqueueSyncs } from '../sync/enqueue';
import type { NewJob } from '../sync/jobs';
import { verifyConsentState } from './consent';
import { deleteSellerData } from './seller-data';

export interface ConnectInput {
  authorizationCode: string;
  redirectUri: string;
  marketplaceIds: string[];
  region: AmazonCredential['region'];
  /** `selling_partner_id` from the consent redirect; verified with Amazon before it is used. */
  sellingPartnerId: string;
  /** `state` from the consent redirect, as GET consent-url issued it. */
  state: string;
}

/** Notifications that drive targeted syncs (one order, one ASIN's offers, one SKU's stock). */
export const NOTIFICATION_TYPES = [
  'ORDER_CHANGE',
  'ANY_OFFER_CHANGED',
  'FBA_INVENTORY_AVAILABILITY_CHANGES',
] as const;
export const BACKFILL_DAYS = 90;

/**
 * Exchanges the consent redirect's code with the credential type's LWA application. LWA refusing
 * the code is the caller's problem (stale or reused code), not a server error.
 */
export async function exchangeCode(
  env: AppEnv,
  input: { type: CredentialType; authorizationCode: string; redirectUri: string },
): Promise<{ accessToken: string; refreshToken: string }> {
  try {
    const tokens = await exchangeAuthorizationCode(
      lwaApplication(env, input.type),
      input.authorizationCode,
      input.redirectUri,
    );
    if (!tokens.refreshToken)
      throw new AppError('AMAZON_API_ERROR', 'Login with Amazon returned no refresh token');
    return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
  } catch (err) {
    if (err instanceof AmazonError && (err.kind === 'auth' || err.kind === 'permanent'))
      throw new ValidationError('Amazon rejected the authorization code', [
        { field: 'body.authorizationCode', message: err.message, code: 'invalid_grant' },
      ]);
    if (err instanceof AmazonError) throw new AppError('AMAZON_API_ERROR', err.message);
    throw err;
  }
}

/** The connection test: any failure here means the new authorisation does not work. */
async function participations(sp: SpApiClient): Promise<MarketplaceParticipation[]> {
  try {
    return (await sp.getMarketplaceParticipations()).payload ?? [];
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new AppError('AMAZON_API_ERROR', `Connection test failed: ${reason}`);
  }
}

/**
 * The requested marketplaces, all of which the seller must take part in; none requested: all
 * active. A seller active in no marketplace has nothing to sync, so it cannot be connected.
 */
function chosenMarketplaces(requested: string[], found: MarketplaceParticipation[]): string[] {
  const active = found.filter((p) => p.participation.isParticipating).map((p) => p.marketplace.id);
  const unknown = requested.filter((id) => !active.includes(id));
  if (unknown.length > 0) {
    throw new ValidationError('The seller does not participate in these marketplaces', [
      {
        field: 'body.marketplaceIds',
        message: `not participating: ${unknown.join(', ')}`,
        code: 'invalid_marketplace',
      },
    ]);
  }
  if (active.length === 0) {
    throw new ValidationError('The seller participates in no marketplace: there is nothing to sync', [
      { field: 'body.marketplaceIds', message: 'no participating marketplace', code: 'no_marketplace' },
    ]);
  }
  return requested.length > 0 ? requested : active;
}

/**
 * Proves the access token belongs to `sellingPartnerId`: Listings Items takes the seller id in its
 * path and Amazon answers 403 for any seller other than the token's. The id names the per-seller
 * rate limiter that every tenant of that seller shares, so it must never be taken on trust.
 */
async function verifySeller(sp: SpApiClient, sellingPartnerId: string, marketplaceId: string): Promise<void> {
  try {
    await sp.searchListingsItems(sellingPartnerId, { marketplaceId, pageSize: 1 });
  } catch (err) {
    if (err instanceof AmazonError && err.status === 403) {
      throw new ValidationError('The authorization does not belong to this selling partner', [
        {
          field: 'body.sellingPartnerId',
          message: 'Amazon refused this seller id for the authorization code',
          code: 'seller_mismatch',
        },
      ]);
    }
    const reason = err instanceof Error ? err.message : String(err);
    throw new AppError('AMAZON_API_ERROR', `Verifying the selling partner failed: ${reason}`);
  }
}

async function saveMarketplaces(
  db: Db,
  tenantId: string,
  found: MarketplaceParticipation[],
  chosen: string[],
  sellerId: string,
): Promise<void> {
  await db
    .insert(tenantMarketplaces)
    .values(
      found.map((p) => ({
        tenantId,
        marketplaceId: p.marketplace.id,
        sellerId,
        participating: chosen.includes(p.marketplace.id),
      })),
    )
    .onConflictDoUpdate({
      target: [tenantMarketplaces.tenantId, tenantMarketplaces.marketplaceId],
      set: {
        sellerId: sql`excluded.seller_id`,
        participating: sql`excluded.participating`,
        updatedAt: new Date(),
      },
    });
}

/** Backfills run at low priority: manual and notification-driven work goes ahead of them. */
function backfillJobs(tenantId: string, now = new Date()): NewJob[] {
  const range = { start: new Date(now.getTime() - BACKFILL_DAYS * 86_400_000), end: now };
  return [
    { tenantId, type: 'orders', trigger: 'connect', priority: 'low', range },
    { tenantId, type: 'inventory', trigger: 'connect', priority: 'low' },
    { tenantId, type: 'finance', trigger: 'connect', priority: 'low', range },
  ];
}

type ConnectContext = Pick<TenantContext, 'db' | 'env' | 'logger' | 'tenant'>;

/**
 * Everything Amazon must confirm before anything is stored: the consent state, the code, the
 * seller's marketplaces and that the token is the claimed seller's. Until that last check the
 * calls go through the tenant's own limiter, never the claimed seller's shared one.
 */
async function checkWithAmazon(ctx: ConnectContext, input: ConnectInput) {
  await verifyConsentState(ctx, { state: input.state });
  const tokens = await exchangeCode(ctx.env, {
    type: 'SPAPI',
    authorizationCode: input.authorizationCode,
    redirectUri: input.redirectUri,
  });
  const unverified = spClientWithAccessToken(
    ctx.env,
    { tenantId: ctx.tenant.id, sellingPartnerId: null },
    tokens.accessToken,
    'high',
  );
  const found = await participations(unverified);
  const marketplaceIds = chosenMarketplaces(input.marketplaceIds, found);
  await verifySeller(unverified, input.sellingPartnerId, marketplaceIds[0] ?? '');
  return { tokens, found, marketplaceIds };
}

/**
 * POST /api/auth/connect-amazon: checks the consent state, exchanges the LWA code, tests the
 * connection with getMarketplaceParticipations, verifies the selling partner id with Listings
 * Items, subscribes to notifications, then stores the encrypted refresh token, the marketplaces and
 * the subscriptions in one transaction and queues the initial backfill. A refusal stores nothing.
 */
export async function connectAmazon(ctx: ConnectContext, input: ConnectInput) {
  const { tokens, found, marketplaceIds } = await checkWithAmazon(ctx, input);
  const { sellingPartnerId } = input;
  const sp = spClientWithAccessToken(
    ctx.env,
    { tenantId: ctx.tenant.id, sellingPartnerId },
    tokens.accessToken,
    'high',
  );
  await unsubscribePreviousSeller(ctx, sellingPartnerId);
  const subscribed = await subscribe(ctx, sp);
  const credential = await ctx.db.transaction(async (tx) => {
    const stored = await storeCredential(
      { ...ctx, db: tx },
      {
        type: 'SPAPI',
        refreshToken: tokens.refreshToken,
        region: input.region,
        sellingPartnerId,
        marketplaceIds,
      },
    );
    await saveMarketplaces(tx, ctx.tenant.id, found, marketplaceIds, sellingPartnerId);
    await tx.delete(amazonSubscriptions).where(previousSellerRows(ctx.tenant.id, sellingPartnerId));
    await saveSubscriptions(tx, ctx.tenant.id, sellingPartnerId, subscribed);
    return stored;
  });
  const queued = await enqueueSyncs(ctx.env, ctx.db, backfillJobs(ctx.tenant.id));
  return {
    success: true as const,
    credentials: {
      id: credential.id,
      type: 'SPAPI' as const,
      marketplaceIds,
      isActive: true,
      sellingPartnerId: credential.sellingPartnerId,
    },
    notifications: subscribed.map((s) => s.notificationType),
    jobs: queued.map((j) => ({ jobId: j.id, type: j.type })),
  };
}

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

interface Subscribed {
  notificationType: string;
  subscriptionId: string;
  destinationId: string;
}

/**
 * Subscribes the seller at Amazon to the notifications we act on. Best effort: a connection works
 * without them (scheduled syncs still run), so a failure is logged, not thrown.
 */
async function subscribe(ctx: ConnectContext, sellerSp: SpApiClient): Promise<Subscribed[]> {
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

async function saveSubscriptions(db: Db, tenantId: string, sellingPartnerId: string, list: Subscribed[]) {
  for (const s of list) {
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
async function unsubscribePreviousSeller(ctx: ConnectContext, sellingPartnerId: string): Promise<void> {
  const [previous] = await ctx.db
    .select({ id: amazonSubscriptions.id })
    .from(amazonSubscriptions)
    .where(previousSellerRows(ctx.tenant.id, sellingPartnerId))
    .limit(1);
  if (previous) await unsubscribeAtAmazon(ctx);
}

const previousSellerRows = (tenantId: string, sellingPartnerId: string) =>
  and(eq(amazonSubscriptions.tenantId, tenantId), ne(amazonSubscriptions.sellingPartnerId, sellingPartnerId));

/**
 * DELETE /api/auth/connect-amazon (and -ads): deletes the stored connection. For Seller Central the
 * seller's notification subscriptions are deleted at Amazon first (a failure there changes nothing
 * here, so the call can be retried), and with `deleteData` the synced data goes in the same
 * transaction as the credential.
 */
export async function disconnectAmazon(
  ctx: Pick<TenantContext, 'db' | 'env' | 'tenant'>,
  input: { type: CredentialType; deleteData?: boolean },
): Promise<{ success: boolean; dataDeleted: boolean }> {
  const sellerCentral = input.type === 'SPAPI';
  if (sellerCentral) await unsubscribeAtAmazon(ctx);
  const deleteData = sellerCentral && input.deleteData === true;
  return ctx.db.transaction(async (tx) => {
    const removed = await tx
      .delete(amazonCredentials)
      .where(and(eq(amazonCredentials.tenantId, ctx.tenant.id), eq(amazonCredentials.type, input.type)))
      .returning({ id: amazonCredentials.id });
    if (sellerCentral)
      await tx.delete(amazonSubscriptions).where(eq(amazonSubscriptions.tenantId, ctx.tenant.id));
    if (deleteData) await deleteSellerData({ db: tx, tenant: ctx.tenant });
    return { success: removed.length > 0, dataDeleted: deleteData };
  });
}

/** The tenant's connections, never their tokens. */
export async function connectionStatus(ctx: Pick<TenantContext, 'db' | 'tenant'>) {
  const rows = await ctx.db
    .select({
      id: amazonCredentials.id,
      type: amazonCredentials.type,
      sellingPartnerId: amazonCredentials.sellingPartnerId,
      region: amazonCredentials.region,
      marketplaceIds: amazonCredentials.marketplaceIds,
      isActive: amazonCredentials.isActive,
      lastError: amazonCredentials.lastError,
      connectedAt: amazonCredentials.connectedAt,
      revokedAt: amazonCredentials.revokedAt,
    })
    .from(amazonCredentials)
    .where(eq(amazonCredentials.tenantId, ctx.tenant.id));
  return rows.map((r) => ({
    ...r,
    connectedAt: r.connectedAt.toISOString(),
    revokedAt: r.revokedAt?.toISOString() ?? null,
  }));
}
