import { and, eq, sql } from 'drizzle-orm';
import { AmazonError } from '../../amazon/errors';
import { exchangeAuthorizationCode, grantlessToken } from '../../amazon/lwa';
import { SpApiClient } from '../../amazon/sp-api';
import type { MarketplaceParticipation } from '../../amazon/sp-types';
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
import type { TenantContext } from '../context';
import { enqueueSyncs, type NewJob } from '../sync';

export interface ConnectInput {
  authorizationCode: string;
  redirectUri: string;
  marketplaceIds: string[];
  region: AmazonCredential['region'];
  sellingPartnerId?: string;
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

/** The requested marketplaces, all of which the seller must take part in; none requested: all active. */
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
  return requested.length > 0 ? requested : active;
}

async function saveMarketplaces(
  ctx: Pick<TenantContext, 'db' | 'tenant'>,
  found: MarketplaceParticipation[],
  chosen: string[],
  sellerId: string | null,
): Promise<void> {
  await ctx.db
    .insert(tenantMarketplaces)
    .values(
      found.map((p) => ({
        tenantId: ctx.tenant.id,
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

/**
 * POST /api/auth/connect-amazon: exchanges the LWA code, tests the connection with
 * getMarketplaceParticipations, stores the encrypted refresh token and the marketplaces, subscribes
 * to notifications and queues the initial backfill.
 */
export async function connectAmazon(
  ctx: Pick<TenantContext, 'db' | 'env' | 'logger' | 'tenant'>,
  input: ConnectInput,
) {
  const tokens = await exchangeCode(ctx.env, {
    type: 'SPAPI',
    authorizationCode: input.authorizationCode,
    redirectUri: input.redirectUri,
  });
  const sellingPartnerId = input.sellingPartnerId ?? null;
  const sp = spClientWithAccessToken(
    ctx.env,
    { tenantId: ctx.tenant.id, sellingPartnerId },
    tokens.accessToken,
    'high',
  );
  const found = await participations(sp);
  const marketplaceIds = chosenMarketplaces(input.marketplaceIds, found);
  const credential = await storeCredential(ctx, {
    type: 'SPAPI',
    refreshToken: tokens.refreshToken,
    region: input.region,
    sellingPartnerId,
    marketplaceIds,
  });
  await saveMarketplaces(ctx, found, marketplaceIds, sellingPartnerId);
  const subscribed = input.sellingPartnerId ? await subscribe(ctx, sp, input.sellingPartnerId) : [];
  const queued = await enqueueSyncs(ctx, backfillJobs(ctx.tenant.id));
  return {
    success: true as const,
    credentials: {
      id: credential.id,
      type: 'SPAPI' as const,
      marketplaceIds,
      isActive: true,
      sellingPartnerId: credential.sellingPartnerId,
    },
    notifications: subscribed,
    jobs: queued.map((j) => ({ jobId: j.id, type: j.type })),
  };
}

/** Our notification destination (one per environment), created on first use. */
async function destinationFor(env: AppEnv, sellerSp: SpApiClient): Promise<string | undefined> {
  // Destinations belong to the application, not the seller: they need a grantless token.
  const grantless = await grantlessToken(lwaApplication(env, 'SPAPI'), 'sellingpartnerapi::notifications');
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

/**
 * Subscribes the seller to the notifications we act on. Best effort: a connection works without
 * them (scheduled syncs still run), so a failure is reported, not thrown.
 */
async function subscribe(
  ctx: Pick<TenantContext, 'db' | 'env' | 'logger' | 'tenant'>,
  sellerSp: SpApiClient,
  sellingPartnerId: string,
): Promise<string[]> {
  const tenantId = ctx.tenant.id;
  try {
    const destinationId = await destinationFor(ctx.env, sellerSp);
    if (!destinationId) return [];
    const done: string[] = [];
    for (const notificationType of NOTIFICATION_TYPES) {
      const id = await subscriptionId(sellerSp, notificationType, destinationId);
      if (!id) continue;
      await ctx.db
        .insert(amazonSubscriptions)
        .values({ tenantId, sellingPartnerId, notificationType, subscriptionId: id, destinationId })
        .onConflictDoUpdate({
          target: [amazonSubscriptions.tenantId, amazonSubscriptions.notificationType],
          set: { sellingPartnerId, subscriptionId: id, destinationId, updatedAt: new Date() },
        });
      done.push(notificationType);
    }
    return done;
  } catch (err) {
    ctx.logger.warn('notification subscription failed', { error: err });
    return [];
  }
}

/** Deletes the stored connection (synced data stays); Seller Central's also drops its subscriptions. */
export async function disconnectAmazon(
  ctx: Pick<TenantContext, 'db' | 'tenant'>,
  input: { type: CredentialType },
): Promise<boolean> {
  const removed = await ctx.db
    .delete(amazonCredentials)
    .where(and(eq(amazonCredentials.tenantId, ctx.tenant.id), eq(amazonCredentials.type, input.type)))
    .returning({ id: amazonCredentials.id });
  if (input.type === 'SPAPI')
    await ctx.db.delete(amazonSubscriptions).where(eq(amazonSubscriptions.tenantId, ctx.tenant.id));
  return removed.length > 0;
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
