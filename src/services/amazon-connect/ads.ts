import { and, eq, inArray, not } from 'drizzle-orm';
import { AmazonError } from '../../amazon/errors';
import { adProfiles } from '../../db/schema';
import { AppError, ConflictError, ValidationError } from '../../lib/errors';
import { adsClient } from '../amazon-account/clients';
import { loadCredential } from '../amazon-account/credentials';
import { enqueueSyncs, storeProfiles } from '../sync';
import { type ConnectDeps, exchangeCode, storeCredential } from './connect';

/** Ads uses its own LWA application: exchange, store encrypted, then list the profiles to choose from. */
export async function connectAds(
  deps: ConnectDeps,
  input: { authorizationCode: string; redirectUri: string; region: 'na' | 'eu' | 'fe' },
) {
  const tokens = await exchangeCode(deps.env, input.authorizationCode, input.redirectUri, true);
  const credential = await storeCredential(deps, 'ADS', tokens.refreshToken, {
    region: input.region,
    sellingPartnerId: null,
    marketplaceIds: [],
  });
  try {
    await storeProfiles(
      { db: deps.db, tenant: { id: deps.tenantId } },
      adsClient(deps.env, credential, 'high'),
    );
  } catch (err) {
    if (err instanceof AmazonError)
      throw new AppError('AMAZON_API_ERROR', `Connection test failed: ${err.message}`);
    throw err;
  }
  return {
    success: true as const,
    credentials: { id: credential.id, type: 'ADS' as const, isActive: true },
    profiles: await listProfiles(deps),
  };
}

export async function listProfiles(deps: Pick<ConnectDeps, 'db' | 'tenantId'>) {
  const rows = await deps.db
    .select()
    .from(adProfiles)
    .where(eq(adProfiles.tenantId, deps.tenantId))
    .orderBy(adProfiles.profileId);
  return rows.map((p) => ({
    profileId: p.profileId,
    marketplaceId: p.marketplaceId,
    countryCode: p.countryCode,
    currency: p.currency,
    timezone: p.timezone,
    accountName: p.accountName,
    isSelected: p.isSelected,
  }));
}

/** Marks exactly these profiles as synced and queues an Ads sync for them. */
export async function selectProfiles(deps: ConnectDeps, profileIds: string[]) {
  const credential = await loadCredential(deps.db, deps.tenantId, 'ADS');
  if (!credential?.isActive) throw new ConflictError('Amazon Advertising is not connected');
  const known = await listProfiles(deps);
  const missing = profileIds.filter((id) => !known.some((p) => p.profileId === id));
  if (missing.length > 0) {
    throw new ValidationError('Unknown Ads profiles', [
      { field: 'body.profileIds', message: `unknown: ${missing.join(', ')}`, code: 'unknown_profile' },
    ]);
  }
  await deps.db
    .update(adProfiles)
    .set({ isSelected: true })
    .where(and(eq(adProfiles.tenantId, deps.tenantId), inArray(adProfiles.profileId, profileIds)));
  await deps.db
    .update(adProfiles)
    .set({ isSelected: false })
    .where(and(eq(adProfiles.tenantId, deps.tenantId), not(inArray(adProfiles.profileId, profileIds))));
  const [job] = await enqueueSyncs(deps, [
    { tenantId: deps.tenantId, type: 'ads', trigger: 'connect', priority: 'normal' },
  ]);
  return { profiles: await listProfiles(deps), jobId: job?.id ?? null };
}
