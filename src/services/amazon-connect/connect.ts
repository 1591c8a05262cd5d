import { and, eq, sql } from 'drizzle-orm';
import { AmazonError } from '../../amazon/errors';
import { exchangeAuthorizationCode } from '../../amazon/lwa';
import type { SpApiClient } from '../../amazon/sp-api';
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
import { unsubscribeAtAmazon } from '../amazon-account/subscriptions';
import type { TenantContext } from '../context';
import { enqueueSyncs, type NewJob } from '../sync';
import { verifyConsentState } from './consent';
import { deleteSellerData } from './seller-data';
import { saveSubscriptions, subscribe, unsubscribePreviousSeller } from './subscribe';

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
    await saveSubscriptions(tx, { tenantId: ctx.tenant.id, sellingPartnerId, subscribed });
    return stored;
  });
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
    notifications: subscribed.map((s) => s.notificationType),
    jobs: queued.map((j) => ({ jobId: j.id, type: j.type })),
  };
}

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
