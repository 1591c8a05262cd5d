import { and, eq, inArray, not } from 'drizzle-orm';
import { AmazonError } from '../../amazon/errors';
import { type AmazonCredential, adProfiles } from '../../db/schema';
import { AppError, ConflictError, ValidationError } from '../../lib/errors';
import { adsClient } from '../amazon-account/clients';
import { loadCredential, storeCredential } from '../amazon-account/credentials';
import type { TenantContext } from '../context';
import { enqueueSyncs, storeProfiles } from '../sync';
import { exchangeCode } from './connect';

export interface ConnectAdsInput {
  authorizationCode: string;
  redirectUri: string;
  region: AmazonCredential['region'];
}

/** Ads uses its own LWA application: exchange, store encrypted, then list the profiles to choose from. */
export async function connectAds(ctx: Pick<TenantContext, 'db' | 'env' | 'tenant'>, input: ConnectAdsInput) {
  const tokens = await exchangeCode(ctx.env, {
    type: 'ADS',
    authorizationCode: input.authorizationCode,
    redirectUri: input.redirectUri,
  });
  const credential = await storeCredential(ctx, {
    type: 'ADS',
    refreshToken: tokens.refreshToken,
    region: input.region,
    sellingPartnerId: null,
    marketplaceIds: [],
  });
  try {
    await storeProfiles(ctx, adsClient(ctx.env, credential, 'high'));
  } catch (err) {
    if (err instanceof AmazonError)
      throw new AppError('AMAZON_API_ERROR', `Connection test failed: ${err.message}`);
    throw err;
  }
  return {
    success: true as const,
    credentials: { id: credential.id, type: 'ADS' as const, isActive: true },
    profiles: await listProfiles(ctx),
  };
}

export async function listProfiles(ctx: Pick<TenantContext, 'db' | 'tenant'>) {
  const rows = await ctx.db
    .select({
      profileId: adProfiles.profileId,
      marketplaceId: adProfiles.marketplaceId,
      countryCode: adProfiles.countryCode,
      currency: adProfiles.currency,
      timezone: adProfiles.timezone,
      accountName: adProfiles.accountName,
      isSelected: adProfiles.isSelected,
    })
    .from(adProfiles)
    .where(eq(adProfiles.tenantId, ctx.tenant.id))
    .orderBy(adProfiles.profileId);
  return rows;
}

/** Marks exactly these profiles as synced and queues an Ads sync for them. */
export async function selectProfiles(
  ctx: Pick<TenantContext, 'db' | 'env' | 'tenant'>,
  input: { profileIds: string[] },
) {
  const tenantId = ctx.tenant.id;
  const { profileIds } = input;
  const credential = await loadCredential(ctx.db, tenantId, 'ADS');
  if (!credential?.isActive) throw new ConflictError('Amazon Advertising is not connected');
  const known = await listProfiles(ctx);
  const missing = profileIds.filter((id) => !known.some((p) => p.profileId === id));
  if (missing.length > 0) {
    throw new ValidationError('Unknown Ads profiles', [
      { field: 'body.profileIds', message: `unknown: ${missing.join(', ')}`, code: 'unknown_profile' },
    ]);
  }
  await ctx.db
    .update(adProfiles)
    .set({ isSelected: true })
    .where(and(eq(adProfiles.tenantId, tenantId), inArray(adProfiles.profileId, profileIds)));
  await ctx.db
    .update(adProfiles)
    .set({ isSelected: false })
    .where(and(eq(adProfiles.tenantId, tenantId), not(inArray(adProfiles.profileId, profileIds))));
  const [job] = await enqueueSyncs(ctx, [{ tenantId, type: 'ads', trigger: 'connect', priority: 'normal' }]);
  return { profiles: await listProfiles(ctx), jobId: job?.id ?? null };
}
