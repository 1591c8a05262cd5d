import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashing with native scrypt (node:crypto). OWASP's N=2^14, r=8, p=5 keeps
 * N*r*p = 2^19.3, inside the production Workers cap of N*r*p <= 2^20; PBKDF2 is not used (capped
 * at 100,000 iterations in production). Stored as `scrypt$v=1$N=16384,r=8,p=5$<salt>$<hash>` so the
 * parameters can be raised later and old hashes upgraded at the next login.
 */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const SCRYPT_PARAMS: Readonly<ScryptParams> = { N: 2 ** 14, r: 8, p: 5 };
/** Production Workers refuse native scrypt above this work factor. */
export const SCRYPT_MAX_NRP = 2 ** 20;
const FORMAT_VERSION = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEY_BYTES,
      // 128*N*r bytes for the working array plus slack.
      { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

export async function hashPassword(password: string, params: ScryptParams = SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return `scrypt$v=${FORMAT_VERSION}$N=${params.N},r=${params.r},p=${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

const FORMAT = /^scrypt\$v=(\d+)\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

export function parseHash(stored: string): ParsedHash | null {
  const m = FORMAT.exec(stored);
  if (!m || Number(m[1]) !== FORMAT_VERSION) return null;
  const params = { N: Number(m[2]), r: Number(m[3]), p: Number(m[4]) };
  // A corrupted or hostile row must not make us burn more CPU than production allows.
  if (params.N * params.r * params.p > SCRYPT_MAX_NRP || params.N < 2 || (params.N & (params.N - 1)) !== 0) {
    return null;
  }
  return { params, salt: Buffer.from(m[5]!, 'base64'), key: Buffer.from(m[6]!, 'base64') };
}

export interface VerifyResult {
  valid: boolean;
  /** The hash used older parameters: store a fresh hash now that the password is known. */
  needsRehash: boolean;
}

export async function verifyPassword(password: string, stored: string): Promise<VerifyResult> {
  const parsed = parseHash(stored);
  if (!parsed) return { valid: false, needsRehash: false };
  const key = await derive(password, parsed.salt, parsed.params);
  const valid = key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
  const current = SCRYPT_PARAMS;
  const needsRehash =
    valid &&
    (parsed.params.N !== current.N || parsed.params.r !== current.r || parsed.params.p !== current.p);
  return { valid, needsRehash };
}

let dummy: Promise<string> | undefined;

/**
 * Verifies against a throwaway hash so a login for an unknown email costs as much as one for a
 * known email (no user enumeration through timing).
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword(crypto.randomUUID());
  await verifyPassword(password, await dummy);
}
