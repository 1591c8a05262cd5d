import { fromBase64, toBase64, toHex } from './encoding';

/**
 * AES-256-GCM for Amazon refresh tokens. Keys come from TOKEN_ENCRYPTION_KEYS
 * ("version:base64key,..."); the highest version encrypts, any listed version decrypts, so keys
 * rotate by appending a new version and re-encrypting at leisure. The tenant id is the associated
 * data: a ciphertext copied into another tenant's row does not decrypt.
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

const cryptoKeys = new Map<string, Promise<CryptoKey>>();

function aesKey(raw: Uint8Array, version: number, spec: string): Promise<CryptoKey> {
  const id = `${version}#${spec}`;
  let key = cryptoKeys.get(id);
  if (!key) {
    key = crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
    cryptoKeys.set(id, key);
  }
  return key;
}

export async function encryptSecret(
  plaintext: string,
  spec: string,
  tenantId: string,
): Promise<EncryptedSecret> {
  const ring = parseKeyRing(spec);
  const raw = ring.keys.get(ring.current)!;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await aesKey(raw, ring.current, spec);
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(tenantId) },
    key,
    encoder.encode(plaintext),
  );
  return { ciphertext: toBase64(new Uint8Array(sealed)), iv: toBase64(iv), keyVersion: ring.current };
}

/** Throws when the key version is unknown, the AAD differs, or the ciphertext was altered. */
export async function decryptSecret(
  secret: EncryptedSecret,
  spec: string,
  tenantId: string,
): Promise<string> {
  const ring = parseKeyRing(spec);
  const raw = ring.keys.get(secret.keyVersion);
  if (!raw) throw new Error(`Encryption key version ${secret.keyVersion} is not configured`);
  const key = await aesKey(raw, secret.keyVersion, spec);
  const opened = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64(secret.iv), additionalData: encoder.encode(tenantId) },
    key,
    fromBase64(secret.ciphertext),
  );
  return new TextDecoder().decode(opened);
}

/** True when the secret was sealed under an older key and should be re-encrypted. */
export const needsRotation = (secret: EncryptedSecret, spec: string): boolean =>
  secret.keyVersion !== parseKeyRing(spec).current;

/**
 * Keyed hash for low-entropy personal data (a buyer's city): a plain SHA-256 of a city name is
 * reversible by trying every city. Keyed with the oldest configured key so hashes stay stable
 * while newer keys are added for rotation.
 */
export async function keyedHash(value: string, spec: string, context: string): Promise<string> {
  const ring = parseKeyRing(spec);
  const raw = ring.keys.get(Math.min(...ring.keys.keys()))!;
  const key = await hmacKey(raw);
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${context}\u0000${value}`));
  return toHex(new Uint8Array(mac));
}

const hmacKeys = new Map<Uint8Array, Promise<CryptoKey>>();
function hmacKey(raw: Uint8Array): Promise<CryptoKey> {
  let key = hmacKeys.get(raw);
  if (!key) {
    key = crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    hmacKeys.set(raw, key);
  }
  return key;
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
