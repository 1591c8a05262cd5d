import { fromBase64, toBase64, toHex } from './encoding';

/**
 * AES-256-GCM for secrets at rest (Amazon refresh tokens, queued invite links). Keys come from
 * TOKEN_ENCRYPTION_KEYS ("version:base64key,..."): the highest version encrypts, any listed version
 * decrypts, so keys rotate by appending a new version (see `reencryptSecret`).
 *
 * A configured key is never used as is: HKDF-SHA-256 derives one subkey for encryption and another
 * for keyed hashes, so no key serves two algorithms. Ciphertexts sealed with the derived subkey
 * start with `hkdf.`; older ones (sealed with the raw key) still open and count as needing rotation.
 *
 * The tenant id, plus an optional purpose, is the associated data: a ciphertext copied into another
 * tenant's row, or into a field with another purpose, does not decrypt.
 */
export interface EncryptedSecret {
  ciphertext: string;
  iv: string;
  keyVersion: number;
}

export interface KeyRing {
  current: number;
  keys: Map<number, Uint8Array>;
}

const encoder = new TextEncoder();

/** Marks a ciphertext sealed with the HKDF-derived subkey (base64 never contains a dot). */
const DERIVED_PREFIX = 'hkdf.';
const HKDF_SALT = encoder.encode('sellerpulse/token-encryption-keys');

type KeyUse = 'encrypt' | 'hash';

const rings = new Map<string, KeyRing>();

export function parseKeyRing(spec: string): KeyRing {
  const cached = rings.get(spec);
  if (cached) return cached;
  const keys = new Map<number, Uint8Array>();
  for (const part of spec.split(',')) {
    const [v, b64] = part.trim().split(':');
    const version = Number(v);
    if (!Number.isInteger(version) || version < 0 || !b64) throw new Error('Malformed encryption key list');
    const raw = fromBase64(b64);
    if (raw.length !== 32) throw new Error(`Encryption key ${version} must be 32 bytes`);
    keys.set(version, raw);
  }
  if (keys.size === 0) throw new Error('No encryption keys configured');
  const ring = { current: Math.max(...keys.keys()), keys };
  rings.set(spec, ring);
  return ring;
}

function rawKey(spec: string, version: number): Uint8Array {
  const raw = parseKeyRing(spec).keys.get(version);
  if (!raw) throw new Error(`Encryption key version ${version} is not configured`);
  return raw;
}

const cryptoKeys = new Map<string, Promise<CryptoKey>>();

function cached(id: string, make: () => Promise<CryptoKey>): Promise<CryptoKey> {
  let key = cryptoKeys.get(id);
  if (!key) {
    key = make();
    cryptoKeys.set(id, key);
  }
  return key;
}

/** The subkey of one configured key for one use (HKDF info names the use). */
function subkey(spec: string, version: number, use: KeyUse): Promise<CryptoKey> {
  return cached(`${use}#${version}#${spec}`, async () => {
    const base = await crypto.subtle.importKey('raw', rawKey(spec, version), 'HKDF', false, ['deriveKey']);
    const params = {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: HKDF_SALT,
      info: encoder.encode(`sellerpulse:${use}:v1`),
    };
    return use === 'encrypt'
      ? crypto.subtle.deriveKey(params, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
      : crypto.subtle.deriveKey(params, base, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, [
          'sign',
        ]);
  });
}

/** Ciphertexts from before the subkeys: the configured key was the AES key itself. */
function legacyAesKey(spec: string, version: number): Promise<CryptoKey> {
  return cached(`legacy#${version}#${spec}`, () =>
    crypto.subtle.importKey('raw', rawKey(spec, version), 'AES-GCM', false, ['decrypt']),
  );
}

function associatedData(tenantId: string, purpose?: string): Uint8Array {
  return encoder.encode(purpose ? `${tenantId}\u0000${purpose}` : tenantId);
}

export async function encryptSecret(
  plaintext: string,
  spec: string,
  tenantId: string,
  purpose?: string,
): Promise<EncryptedSecret> {
  const { current } = parseKeyRing(spec);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: associatedData(tenantId, purpose) },
    await subkey(spec, current, 'encrypt'),
    encoder.encode(plaintext),
  );
  return {
    ciphertext: `${DERIVED_PREFIX}${toBase64(new Uint8Array(sealed))}`,
    iv: toBase64(iv),
    keyVersion: current,
  };
}

/** Throws when the key version is unknown, the AAD differs, or the ciphertext was altered. */
export async function decryptSecret(
  secret: EncryptedSecret,
  spec: string,
  tenantId: string,
  purpose?: string,
): Promise<string> {
  const derived = secret.ciphertext.startsWith(DERIVED_PREFIX);
  const key = derived
    ? await subkey(spec, secret.keyVersion, 'encrypt')
    : await legacyAesKey(spec, secret.keyVersion);
  const opened = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64(secret.iv), additionalData: associatedData(tenantId, purpose) },
    key,
    fromBase64(derived ? secret.ciphertext.slice(DERIVED_PREFIX.length) : secret.ciphertext),
  );
  return new TextDecoder().decode(opened);
}

/** True when the secret was sealed under an older key version or with the raw (legacy) key. */
export const needsRotation = (secret: EncryptedSecret, spec: string): boolean =>
  secret.keyVersion !== parseKeyRing(spec).current || !secret.ciphertext.startsWith(DERIVED_PREFIX);

/**
 * Re-seals a secret with the newest key's subkey; null when it already uses it. Throws like
 * `decryptSecret` when the stored secret cannot be opened.
 */
export async function reencryptSecret(
  secret: EncryptedSecret,
  spec: string,
  tenantId: string,
  purpose?: string,
): Promise<EncryptedSecret | null> {
  if (!needsRotation(secret, spec)) return null;
  return encryptSecret(await decryptSecret(secret, spec, tenantId, purpose), spec, tenantId, purpose);
}

/**
 * Keyed hash for low-entropy personal data (a buyer's city) and short-lived keys (OAuth state,
 * login counters): a plain SHA-256 of a city name is reversible by trying every city. Uses the
 * hash subkey of the oldest configured key, so hashes stay stable while newer keys are added;
 * retiring that key changes every keyed hash from then on.
 */
export async function keyedHash(value: string, spec: string, context: string): Promise<string> {
  const oldest = Math.min(...parseKeyRing(spec).keys.keys());
  const key = await subkey(spec, oldest, 'hash');
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${context}\u0000${value}`));
  return toHex(new Uint8Array(mac));
}

/** Constant-time string comparison (for shared secrets in headers). */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++)
    diff |= (x[i % x.length] ?? 0) ^ (y[i % y.length] ?? 0);
  return diff === 0 && x.length === y.length;
}
