import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { type AmazonCredential, amazonCredentials } from '../../db/schema/index';
import { raiseAlert } from '../alerts/raise';

export type CredentialType = 'SPAPI' | 'ADS';

export async function loadCredential(
  db: Database,
  tenantId: string,
  type: CredentialType,
): Promise<AmazonCredential | undefined> {
  const [row] = await db
    .select()
    .from(amazonCredentials)
    .where(and(eq(amazonCredentials.tenantId, tenantId), eq(amazonCredentials.type, type)))
    .limit(1);
  return row;
}

/**
 * A revoked or invalid grant is not retried: the credential is switched off and the tenant told,
 * until the seller re-authorises.
 */
export async function markCredentialInvalid(
  db: Database,
  tenantId: string,
  type: CredentialType,
  reason: string,
): Promise<void> {
  await db
    .update(amazonCredentials)
    .set({ isActive: false, lastError: reason, revokedAt: new Date() })
    .where(and(eq(amazonCredentials.tenantId, tenantId), eq(amazonCredentials.type, type)));
  await raiseAlert(db, tenantId, {
    type: 'CREDENTIALS_INVALID',
    severity: 'critical',
    title: type === 'SPAPI' ? 'Amazon Seller Central connection lost' : 'Amazon Advertising connection lost',
    message: `Amazon rejected the stored authorisation (${reason}). Reconnect the account to resume syncing.`,
    data: { credentialType: type },
    dedupeKey: `CREDENTIALS_INVALID:${type}`,
  });
}
