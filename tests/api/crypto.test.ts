import { describe, expect, it } from 'vitest';
import {
  decryptSecret,
  encryptSecret,
  keyedHash,
  needsRotation,
  parseKeyRing,
  timingSafeEqual,
} from '../../src/lib/crypto';
import { TEST_SECRETS } from './test-secrets';

const KEYS = TEST_SECRETS.TOKEN_ENCRYPTION_KEYS;
const TENANT = '6f9d3c1e-8a44-4d53-9a55-0d2b6f1f9a11';

describe('refresh-token encryption (AES-GCM, versioned keys, tenant as AAD)', () => {
  it('round-trips and never stores the plaintext', async () => {
    const token = 'Atzr|IwEBIExampleRefreshToken-0123456789';
    const sealed = await encryptSecret(token, KEYS, TENANT);
    expect(sealed.keyVersion).toBe(2);
    expect(sealed.ciphertext).not.toContain('Atzr');
    expect(atob(sealed.ciphertext)).not.toContain('Atzr');
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
    const bytes = Uint8Array.from(atob(sealed.ciphertext), (c) => c.charCodeAt(0));
    bytes[0]! ^= 1;
    const tampered = { ...sealed, ciphertext: btoa(String.fromCharCode(...bytes)) };
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

  it('compares secrets in constant time', () => {
    expect(timingSafeEqual('abc', 'abc')).toBe(true);
    expect(timingSafeEqual('abc', 'abd')).toBe(false);
    expect(timingSafeEqual('abc', 'abcd')).toBe(false);
    expect(timingSafeEqual('', 'a')).toBe(false);
  });
});
