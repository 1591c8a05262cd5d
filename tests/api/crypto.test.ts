import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { amazonCredentials } from '../../src/db/schema';
import {
  decryptSecret,
  type EncryptedSecret,
  encryptSecret,
  keyedHash,
  needsRotation,
  parseKeyRing,
  reencryptSecret,
  timingSafeEqual,
} from '../../src/lib/crypto';
import { createLogger } from '../../src/lib/logger';
import { reencryptCredentials } from '../../src/services/amazon-account/key-rotation';
import { createTenant, testDb } from './harness';
import { TEST_SECRETS } from './test-secrets';

const KEYS = TEST_SECRETS.TOKEN_ENCRYPTION_KEYS;
const TENANT = '6f9d3c1e-8a44-4d53-9a55-0d2b6f1f9a11';

const bytesOf = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
const hexOf = (buf: ArrayBuffer) =>
  [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
/** The configured key of one version, as raw bytes. */
const rawKeyOf = (version: number) => parseKeyRing(KEYS).keys.get(version)!;

/** A ciphertext as stored before the subkeys: AES-GCM with the configured key itself. */
async function legacySeal(plaintext: string, version: number, tenantId: string): Promise<EncryptedSecret> {
  const key = await crypto.subtle.importKey('raw', rawKeyOf(version), 'AES-GCM', false, ['encrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(tenantId) },
    key,
    new TextEncoder().encode(plaintext),
  );
  const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
  return { ciphertext: b64(new Uint8Array(sealed)), iv: b64(iv), keyVersion: version };
}

describe('refresh-token encryption (AES-GCM, versioned keys, tenant as AAD)', () => {
  it('round-trips and never stores the plaintext', async () => {
    const token = 'Atzr|IwEBIExampleRefreshToken-0123456789';
    const sealed = await encryptSecret(token, KEYS, TENANT);
    expect(sealed.keyVersion).toBe(2);
    expect(sealed.ciphertext).toMatch(/^hkdf\./);
    expect(sealed.ciphertext).not.toContain('Atzr');
    expect(atob(sealed.ciphertext.slice('hkdf.'.length))).not.toContain('Atzr');
    expect(atob(sealed.iv)).toHaveLength(12);
    expect(await decryptSecret(sealed, KEYS, TENANT)).toBe(token);
  });

  it('uses a fresh IV each time', async () => {
    const a = await encryptSecret('same', KEYS, TENANT);
    const b = await encryptSecret('same', KEYS, TENANT);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it('fails with another tenant as associated data', async () => {
    const sealed = await encryptSecret('Atzr|secret', KEYS, TENANT);
    await expect(decryptSecret(sealed, KEYS, '00000000-0000-0000-0000-000000000000')).rejects.toThrow();
  });

  it('fails when the ciphertext is altered', async () => {
    const sealed = await encryptSecret('Atzr|secret', KEYS, TENANT);
    const bytes = bytesOf(sealed.ciphertext.slice('hkdf.'.length));
    bytes[0]! ^= 1;
    const tampered = { ...sealed, ciphertext: `hkdf.${btoa(String.fromCharCode(...bytes))}` };
    await expect(decryptSecret(tampered, KEYS, TENANT)).rejects.toThrow();
  });

  it('rotates keys: old ciphertexts still open, new ones use the newest key', async () => {
    const oldOnly = KEYS.split(',')[0]!;
    const sealedOld = await encryptSecret('Atzr|old', oldOnly, TENANT);
    expect(sealedOld.keyVersion).toBe(1);
    expect(needsRotation(sealedOld, KEYS)).toBe(true);
    expect(await decryptSecret(sealedOld, KEYS, TENANT)).toBe('Atzr|old');
    const resealed = await encryptSecret(await decryptSecret(sealedOld, KEYS, TENANT), KEYS, TENANT);
    expect(resealed.keyVersion).toBe(2);
    expect(needsRotation(resealed, KEYS)).toBe(false);
    // A retired key can no longer open what it sealed.
    await expect(decryptSecret(sealedOld, KEYS.split(',')[1]!, TENANT)).rejects.toThrow(/version 1/);
  });

  it('rejects malformed key lists', () => {
    expect(() => parseKeyRing('1:c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => parseKeyRing('x:abc')).toThrow();
  });

  it('hashes cities with a key: stable, tenant-scoped, not a plain SHA-256', async () => {
    const a = await keyedHash('SEATTLE', KEYS, `city:${TENANT}`);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await keyedHash('SEATTLE', KEYS, `city:${TENANT}`)).toBe(a);
    expect(await keyedHash('SEATTLE', KEYS, 'city:other-tenant')).not.toBe(a);
    const plain = [
      ...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode('SEATTLE'))),
    ]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
    expect(a).not.toBe(plain);
  });

  it('never uses a configured key directly: encryption and hashing use separate HKDF subkeys', async () => {
    const sealed = await encryptSecret('Atzr|secret', KEYS, TENANT);
    const raw = await crypto.subtle.importKey('raw', rawKeyOf(2), 'AES-GCM', false, ['decrypt']);
    await expect(
      crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: bytesOf(sealed.iv), additionalData: new TextEncoder().encode(TENANT) },
        raw,
        bytesOf(sealed.ciphertext.slice('hkdf.'.length)),
      ),
    ).rejects.toThrow();
    const hmacRaw = await crypto.subtle.importKey(
      'raw',
      rawKeyOf(1),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    const withRawKey = hexOf(
      await crypto.subtle.sign('HMAC', hmacRaw, new TextEncoder().encode(`city:${TENANT}\u0000SEATTLE`)),
    );
    expect(await keyedHash('SEATTLE', KEYS, `city:${TENANT}`)).not.toBe(withRawKey);
  });

  it('still opens ciphertexts sealed with the raw key before the subkeys, and flags them for rotation', async () => {
    for (const version of [1, 2]) {
      const legacy = await legacySeal('Atzr|legacy', version, TENANT);
      expect(await decryptSecret(legacy, KEYS, TENANT)).toBe('Atzr|legacy');
      expect(needsRotation(legacy, KEYS)).toBe(true);
      const resealed = await reencryptSecret(legacy, KEYS, TENANT);
      expect(resealed).toMatchObject({ keyVersion: 2, ciphertext: expect.stringMatching(/^hkdf\./) });
      expect(await decryptSecret(resealed!, KEYS, TENANT)).toBe('Atzr|legacy');
      expect(await reencryptSecret(resealed!, KEYS, TENANT)).toBeNull();
    }
  });

  it('binds an optional purpose into the associated data', async () => {
    const sealed = await encryptSecret('https://app.example/accept-invite?token=x', KEYS, TENANT, 'invite');
    expect(await decryptSecret(sealed, KEYS, TENANT, 'invite')).toContain('accept-invite');
    await expect(decryptSecret(sealed, KEYS, TENANT)).rejects.toThrow();
    await expect(decryptSecret(sealed, KEYS, TENANT, 'credential')).rejects.toThrow();
  });

  it('the daily re-encryption moves stored credentials to the newest key and leaves current ones alone', async () => {
    const stale = await createTenant();
    const current = await createTenant();
    const store = async (tenantId: string, secret: EncryptedSecret) => {
      const [row] = await testDb()
        .insert(amazonCredentials)
        .values({
          tenantId,
          type: 'SPAPI',
          region: 'na',
          sellingPartnerId: `A${crypto.randomUUID().slice(0, 12).toUpperCase()}`,
          encryptedRefreshToken: secret.ciphertext,
          tokenIv: secret.iv,
          keyVersion: secret.keyVersion,
        })
        .returning();
      return row!;
    };
    const old = await store(stale.id, await legacySeal('Atzr|rotate-me', 1, stale.id));
    const fresh = await store(current.id, await encryptSecret('Atzr|keep-me', KEYS, current.id));

    const ctx = { db: testDb(), env, logger: createLogger('error') };
    const only = { tenantIds: [stale.id, current.id] };
    expect(await reencryptCredentials(ctx, only)).toEqual({ reencrypted: 1, failed: 0 });
    const [rotated] = await testDb().select().from(amazonCredentials).where(eq(amazonCredentials.id, old.id));
    expect(rotated).toMatchObject({ keyVersion: 2, encryptedRefreshToken: expect.stringMatching(/^hkdf\./) });
    expect(rotated!.tokenIv).not.toBe(old.tokenIv);
    const opened = await decryptSecret(
      { ciphertext: rotated!.encryptedRefreshToken, iv: rotated!.tokenIv, keyVersion: rotated!.keyVersion },
      KEYS,
      stale.id,
    );
    expect(opened).toBe('Atzr|rotate-me');
    const [untouched] = await testDb()
      .select()
      .from(amazonCredentials)
      .where(eq(amazonCredentials.id, fresh.id));
    expect(untouched).toMatchObject({
      encryptedRefreshToken: fresh.encryptedRefreshToken,
      tokenIv: fresh.tokenIv,
    });
    // Nothing of these two is left to do; version 1 could now be retired for them.
    expect(await reencryptCredentials(ctx, only)).toEqual({ reencrypted: 0, failed: 0 });
    const [again] = await testDb().select().from(amazonCredentials).where(eq(amazonCredentials.id, old.id));
    expect(again!.tokenIv).toBe(rotated!.tokenIv);
  });

  it('compares secrets in constant time', () => {
    expect(timingSafeEqual('abc', 'abc')).toBe(true);
    expect(timingSafeEqual('abc', 'abd')).toBe(false);
    expect(timingSafeEqual('abc', 'abcd')).toBe(false);
    expect(timingSafeEqual('', 'a')).toBe(false);
  });
});
