import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { type AmazonCredential, amazonCredentials } from '../../db/schema/index';
import { encryptSecret } from '../../lib/crypto';
import { raiseAlert, resolveAlerts } from '../alerts/raise';
import type { TenantContext, TenantInfo } from '../context';

export type CredentialType = AmazonCredential['type'];

export interface NewCredential {
  type: CredentialType;
  /** Plaintext from LWA; only its AES-GCM ciphertext (tenant id as associated data) is stored. */
  refreshToken: string;
  region: AmazonCredential['region'];
  sellingPartnerId: string | null;
  marketplaceIds: string[];
}

/**
 * Stores (or replaces: one per tenant and type) a connection and reactivates it. Reconnecting
 * resolves the "connection lost" alert that a rejected grant raised.
 */
export async function storeCredential(
  ctx: Pick<TenantContext, 'db' | 'env' | 'tenant'>,
  input: NewCredential,
): Promise<AmazonCredential> {
  const { refreshToken, ...fields } = input;
  const sealed = await encryptSecret(refreshToken, ctx.env.TOKEN_ENCRYPTION_KEYS, ctx.tenant.id);
  const values = {
    ...fields,
    tenantId: ctx.tenant.id,
    encryptedRefreshToken: sealed.ciphertext,
    tokenIv: sealed.iv,
    keyVersion: sealed.keyVersion,
    isActive: true,
    lastError: null,
    revokedAt: null,
    connectedAt: new Date(),
  };
  const [row] = await ctx.db
    .insert(amazonCredentials)
    .values(values)
    .onConflictDoUpdate({
      target: [amazonCredentials.tenantId, amazonCredentials.type],
      set: { ...values, updatedAt: new Date() },
    })
    .returning();
  if (!row) throw new Error('Storing the Amazon credential returned no row');
  await resolveAlerts(ctx, {
    dedupeKeys: [`CREDENTIALS_INVALID:${input.type}`],
    resolution: 'Account reconnected',
  });
  return row;
}

/** A tenant's database scope: enough to read or switch off its credentials. */
export interface CredentialContext {
  db: Database;
  tenant: Pick<TenantInfo, 'id'>;
}

export async function loadCredential(
  ctx: CredentialContext,
  type: CredentialType,
): Promise<AmazonCredential | undefined> {
  const [row] = await ctx.db
    .select()
    .from(amazonCredentials)
    .where(and(eq(amazonCredentials.tenantId, ctx.tenant.id), eq(amazonCredentials.type, type)))
    .limit(1);
  return row;
}

/**
 * A revoked or invalid grant is not retried: the credential is switched off and the tenant told,
 * until the seller re-authorises.
 */
export async function markCredentialInvalid(
  ctx: CredentialContext,
  input: { type: CredentialType; reason: string },
): Promise<void> {
  const { type, reason } = input;
  await ctx.db
    .update(amazonCredentials)
    .set({ isActive: false, lastError: reason, revokedAt: new Date() })
    .where(and(eq(amazonCredentials.tenantId, ctx.tenant.id), eq(amazonCredentials.type, type)));
  await raiseAlert(ctx, {
    type: 'CREDENTIALS_INVALID',
    severity: 'critical',
    title: type === 'SPAPI' ? 'Amazon Seller Central connection lost' : 'Amazon Advertising connection lost',
    message: `Amazon rejected the stored authorisation (${reason}). Reconnect the account to resume syncing.`,
    data: { credentialType: type },
    dedupeKey: `CREDENTIALS_INVALID:${type}`,
  });
}
