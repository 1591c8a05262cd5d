import { and, eq, inArray } from 'drizzle-orm';
import { amazonCredentials } from '../../db/schema/index';
import { needsRotation, reencryptSecret } from '../../lib/crypto';
import type { ServiceContext } from '../context';

/**
 * Re-encrypts every stored Amazon refresh token that is not sealed with the newest key's subkey
 * (daily cron). After a run that reports nothing left, an older key version can be retired. A row
 * is written back only if its IV is still the one read, so a reconnect in between is never
 * overwritten; a row that no longer opens is counted and left for the connection check to report.
 */
export async function reencryptCredentials(
  ctx: Pick<ServiceContext, 'db' | 'env' | 'logger'>,
  input: { tenantIds?: string[] } = {},
): Promise<{ reencrypted: number; failed: number }> {
  const keys = ctx.env.TOKEN_ENCRYPTION_KEYS;
  const rows = await ctx.db
    .select({
      id: amazonCredentials.id,
      tenantId: amazonCredentials.tenantId,
      ciphertext: amazonCredentials.encryptedRefreshToken,
      iv: amazonCredentials.tokenIv,
      keyVersion: amazonCredentials.keyVersion,
    })
    .from(amazonCredentials)
    // Only these tenants (a test's own); every tenant when absent.
    .where(input.tenantIds ? inArray(amazonCredentials.tenantId, input.tenantIds) : undefined);
  let reencrypted = 0;
  let failed = 0;
  for (const { id, tenantId, ...secret } of rows.filter((row) => needsRotation(row, keys))) {
    try {
      const sealed = await reencryptSecret(secret, keys, tenantId);
      if (!sealed) continue;
      const updated = await ctx.db
        .update(amazonCredentials)
        .set({ encryptedRefreshToken: sealed.ciphertext, tokenIv: sealed.iv, keyVersion: sealed.keyVersion })
        .where(and(eq(amazonCredentials.id, id), eq(amazonCredentials.tokenIv, secret.iv)))
        .returning({ id: amazonCredentials.id });
      reencrypted += updated.length;
    } catch (err) {
      failed++;
      ctx.logger.warn('stored Amazon credential could not be re-encrypted', {
        credentialId: id,
        tenantId,
        error: err,
      });
    }
  }
  return { reencrypted, failed };
}
