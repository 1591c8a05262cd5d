import { and, eq, sql } from 'drizzle-orm';
import { AmazonError } from '../../amazon/errors';
import { exchangeAuthorizationCode, grantlessToken } from '../../amazon/lwa';
import { SpApiClient } from '../../amazon/sp-api';
import type { Database } from '../../db/client';
import {
  type AmazonCredential,
  amazonCredentials,
  amazonSubscriptions,
  tenantMarketplaces,
} from '../../db/schema';
import type { AppEnv } from '../../env';
import { encryptSecret } from '../../lib/crypto';
import { AppError, ValidationError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { resolveAlerts } from '../alerts/raise';
import { limiterFor } from '../amazon-account/clients';
import { type TuningVars, tuningFrom } from '../amazon-account/tuning';
import { enqueueSyncs, type NewJob } from '../sync';

export interface ConnectInput {
  authorizationCode: string;
  redirectUri: string;
  marketplaceIds: string[];
  region: 'na' | 'eu' | 'fe';
  sellingPartnerId?: string;
}

export interface ConnectDeps {
  env: AppEnv;
  db: Database;
  tenantId: string;
  logger?: Logger;
}

/** Notifications that drive targeted syncs (one order, one ASIN's offers, one SKU's stock). */
export const NOTIFICATION_TYPES = [
  'ORDER_CHANGE',
  'ANY_OFFER_CHANGED',
  'FBA_INVENTORY_AVAILABILITY_CHANGES',
] as const;
export const BACKFILL_DAYS = 90;

function lwa(env: AppEnv, ads = false) {
  return {
    baseUrl: env.LWA_BASE_URL,
    clientId: ads ? env.ADS_CLIENT_ID : env.LWA_CLIENT_ID,
    clientSecret: ads ? env.ADS_CLIENT_SECRET : env.LWA_CLIENT_SECRET,
  };
}

/** LWA refusing the code is the caller's problem (stale or reused code), not a server error. */
async function exchange(env: AppEnv, code: string, redirectUri: string, ads = false) {
  try {
    const tokens = await exchangeAuthorizationCode(lwa(env, ads), code, redirectUri);
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

async function storeCredential(
  deps: ConnectDeps,
  type: 'SPAPI' | 'ADS',
  refreshToken: string,
  fields: { region: 'na' | 'eu' | 'fe'; sellingPartnerId: string | null; marketplaceIds: string[] },
): Promise<AmazonCredential> {
  const sealed = await encryptSecret(refreshToken, deps.env.TOKEN_ENCRYPTION_KEYS, deps.tenantId);
  const values = {
    tenantId: deps.tenantId,
    type,
    sellingPartnerId: fields.sellingPartnerId,
    region: fields.region,
    marketplaceIds: fields.marketplaceIds,
    encryptedRefreshToken: sealed.ciphertext,
    tokenIv: sealed.iv,
    keyVersion: sealed.keyVersion,
    isActive: true,
    lastError: null,
    revokedAt: null,
    connectedAt: new Date(),
  };
  const [row] = await deps.db
    .insert(amazonCredentials)
    .values(values)
    .onConflictDoUpdate({
      target: [amazonCredentials.tenantId, amazonCredentials.type],
      set: { ...values, updatedAt: new Date() },
    })
    .returning();
  await resolveAlerts(deps.db, deps.tenantId, [`CREDENTIALS_INVALID:${type}`], 'Account reconnected');
  return row!;
}

/**
 * POST /api/auth/connect-amazon: exchanges the LWA code, tests the connection with
 * getMarketplaceParticipations, stores the encrypted refresh token and the marketplaces, subscribes
 * to notifications and queues the initial backfill.
 */
export async function connectAmazon(deps: ConnectDeps, input: ConnectInput) {
  const { env, db, tenantId } = deps;
  const tokens = await exchange(env, input.authorizationCode, input.redirectUri);
  const sellerKey = { type: 'SPAPI' as const, sellingPartnerId: input.sellingPartnerId ?? null, tenantId };
  const limiter = limiterFor(env, sellerKey);
  const sp = new SpApiClient({
    baseUrl: env.SPAPI_BASE_URL,
    tokens: { get: async () => tokens.accessToken },
    gate: {
      acquire: (operation, priority) => limiter.acquireOperation({ operation, priority }),
      observe: (o) => limiter.observe(o),
    },
    priority: 'high',
    policy: tuningFrom(env as TuningVars).retry,
  });
  let participations: Awaited<ReturnType<SpApiClient['getMarketplaceParticipations']>>['payload'];
  try {
    participations = (await sp.getMarketplaceParticipations()).payload ?? [];
  } catch (err) {
    throw new AppError('AMAZON_API_ERROR', `Connection test failed: ${(err as Error).message}`);
  }
  const active = participations.filter((p) => p.participation.isParticipating).map((p) => p.marketplace.id);
  const unknown = input.marketplaceIds.filter((id) => !active.includes(id));
  if (unknown.length > 0) {
    throw new ValidationError('The seller does not participate in these marketplaces', [
      {
        field: 'body.marketplaceIds',
        message: `not participating: ${unknown.join(', ')}`,
        code: 'invalid_marketplace',
      },
    ]);
  }
  const marketplaceIds = input.marketplaceIds.length > 0 ? input.marketplaceIds : active;
  const credential = await storeCredential(deps, 'SPAPI', tokens.refreshToken, {
    region: input.region,
    sellingPartnerId: input.sellingPartnerId ?? null,
    marketplaceIds,
  });
  await db
    .insert(tenantMarketplaces)
    .values(
      participations.map((p) => ({
        tenantId,
        marketplaceId: p.marketplace.id,
        sellerId: input.sellingPartnerId ?? null,
        participating: marketplaceIds.includes(p.marketplace.id),
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
  const subscribed = input.sellingPartnerId ? await subscribe(deps, sp, input.sellingPartnerId) : [];
  const now = new Date();
  const range = { start: new Date(now.getTime() - BACKFILL_DAYS * 86_400_000), end: now };
  // Backfills run at low priority: manual and notification-driven work goes ahead of them.
  const jobs: NewJob[] = [
    { tenantId, type: 'orders', trigger: 'connect', priority: 'low', range },
    { tenantId, type: 'inventory', trigger: 'connect', priority: 'low' },
    { tenantId, type: 'finance', trigger: 'connect', priority: 'low', range },
  ];
  const queued = await enqueueSyncs({ env, db }, jobs);
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

/**
 * Subscribes the seller to the notifications we act on. Best effort: a connection works without
 * them (scheduled syncs still run), so a failure is reported, not thrown.
 */
async function subscribe(
  deps: ConnectDeps,
  sellerSp: SpApiClient,
  sellingPartnerId: string,
): Promise<string[]> {
  const { env, db, tenantId } = deps;
  try {
    const grantless = await grantlessToken(lwa(env), 'sellingpartnerapi::notifications');
    const app = new SpApiClient({ ...sellerSp.config, tokens: { get: async () => grantless.accessToken } });
    const name = `sellerpulse-${env.APP_ENV}`;
    const existing = (await app.getDestinations()).payload ?? [];
    const destinationId =
      existing.find((d) => d.name === name)?.destinationId ??
      (await app.createDestination(name, { eventBridge: { accountId: '000000000000', region: 'us-east-1' } }))
        .payload?.destinationId;
    if (!destinationId) return [];
    const done: string[] = [];
    for (const type of NOTIFICATION_TYPES) {
      let subscriptionId: string | undefined;
      try {
        subscriptionId = (await sellerSp.createSubscription(type, destinationId)).payload?.subscriptionId;
      } catch (err) {
        // 409: already subscribed; read the existing subscription.
        if (!(err instanceof AmazonError) || err.status !== 409) throw err;
        subscriptionId = (await sellerSp.getSubscription(type)).payload?.subscriptionId;
      }
      if (!subscriptionId) continue;
      await db
        .insert(amazonSubscriptions)
        .values({ tenantId, sellingPartnerId, notificationType: type, subscriptionId, destinationId })
        .onConflictDoUpdate({
          target: [amazonSubscriptions.tenantId, amazonSubscriptions.notificationType],
          set: { sellingPartnerId, subscriptionId, destinationId, updatedAt: new Date() },
        });
      done.push(type);
    }
    return done;
  } catch (err) {
    deps.logger?.warn('notification subscription failed', { error: err as Error });
    return [];
  }
}

export async function disconnectAmazon(deps: ConnectDeps, type: 'SPAPI' | 'ADS'): Promise<boolean> {
  const removed = await deps.db
    .delete(amazonCredentials)
    .where(and(eq(amazonCredentials.tenantId, deps.tenantId), eq(amazonCredentials.type, type)))
    .returning({ id: amazonCredentials.id });
  if (type === 'SPAPI')
    await deps.db.delete(amazonSubscriptions).where(eq(amazonSubscriptions.tenantId, deps.tenantId));
  return removed.length > 0;
}

export async function connectionStatus(deps: Pick<ConnectDeps, 'db' | 'tenantId'>) {
  const rows = await deps.db
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
    .where(eq(amazonCredentials.tenantId, deps.tenantId));
  return rows.map((r) => ({
    ...r,
    connectedAt: r.connectedAt.toISOString(),
    revokedAt: r.revokedAt?.toISOString() ?? null,
  }));
}

export { exchange as exchangeCode, storeCredential };
