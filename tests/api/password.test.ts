import { describe, expect, it } from 'vitest';
import {
  hashPassword,
  parseHash,
  SCRYPT_MAX_NRP,
  SCRYPT_PARAMS,
  verifyPassword,
} from '../../src/lib/password';

describe('password hashing', () => {
  it('pins OWASP scrypt parameters inside the production Workers cap (N*r*p <= 2^20)', () => {
    expect(SCRYPT_PARAMS).toEqual({ N: 16384, r: 8, p: 5 });
    expect(SCRYPT_MAX_NRP).toBe(2 ** 20);
    expect(SCRYPT_PARAMS.N * SCRYPT_PARAMS.r * SCRYPT_PARAMS.p).toBeLessThanOrEqual(2 ** 20);
  });

  it('stores a self-describing scrypt hash, never PBKDF2', async () => {
    const stored = await hashPassword('Str0ng!Passw0rd');
    expect(stored).toMatch(/^scrypt\$v=1\$N=16384,r=8,p=5\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(stored.toLowerCase()).not.toContain('pbkdf2');
    // No PBKDF2 call (node:crypto pbkdf2/pbkdf2Sync or WebCrypto deriveBits with name 'PBKDF2').
    const source = String(
      ((await import('../../src/lib/password.ts?raw' as string)) as { default: string }).default,
    );
    expect(source).toMatch(/from 'node:crypto'/);
    expect(source).not.toMatch(/pbkdf2(Sync)?\s*\(|name:\s*['"]PBKDF2/i);
  });

  it('verifies the right password, refuses a wrong one, and salts every hash', async () => {
    const a = await hashPassword('Str0ng!Passw0rd');
    const b = await hashPassword('Str0ng!Passw0rd');
    expect(a).not.toBe(b);
    expect(await verifyPassword('Str0ng!Passw0rd', a)).toEqual({ valid: true, needsRehash: false });
    expect(await verifyPassword('Str0ng!Passw0rd!', a)).toEqual({ valid: false, needsRehash: false });
  });

  it('asks for a rehash when the stored parameters are older', async () => {
    const old = await hashPassword('Str0ng!Passw0rd', { N: 2 ** 12, r: 8, p: 1 });
    expect(await verifyPassword('Str0ng!Passw0rd', old)).toEqual({ valid: true, needsRehash: true });
  });

  it('refuses stored hashes that would exceed the production cap or are malformed', () => {
    expect(parseHash('scrypt$v=1$N=1048576,r=8,p=1$AAAA$AAAA')).toBeNull();
    expect(parseHash('scrypt$v=1$N=1000,r=8,p=1$AAAA$AAAA')).toBeNull();
    expect(parseHash('pbkdf2$sha256$100000$AAAA$AAAA')).toBeNull();
    expect(parseHash('scrypt$v=2$N=16384,r=8,p=5$AAAA$AAAA')).toBeNull();
  });
});
