import { errors, jwtVerify, SignJWT } from 'jose';
import { UnauthorizedError } from './errors';

/** Pinned: tokens with any other `alg` (including `none`) are refused. */
export const ACCESS_TOKEN_ALG = 'HS256';
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

export interface AccessClaims {
  sub: string;
  tid: string;
  role: string;
  iat: number;
  exp: number;
  /** Issue time in milliseconds: `iat` has 1 s resolution, too coarse to order against a password change. */
  ims?: number;
}

export interface JwtConfig {
  JWT_SECRET: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
}

const keys = new Map<string, Uint8Array>();
function keyOf(secret: string): Uint8Array {
  let key = keys.get(secret);
  if (!key) {
    key = new TextEncoder().encode(secret);
    keys.set(secret, key);
  }
  return key;
}

export async function signAccessToken(
  config: JwtConfig,
  claims: { userId: string; tenantId: string; role: string },
  ttlSeconds = ACCESS_TOKEN_TTL_SECONDS,
): Promise<string> {
  const nowMs = Date.now();
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT({ tid: claims.tenantId, role: claims.role, ims: nowMs })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(config.JWT_ISSUER)
    .setAudience(config.JWT_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(keyOf(config.JWT_SECRET));
}

/** Verifies signature, algorithm, issuer, audience and expiry; each failure has its own message. */
export async function verifyAccessToken(config: JwtConfig, token: string): Promise<AccessClaims> {
  try {
    const { payload } = await jwtVerify(token, keyOf(config.JWT_SECRET), {
      algorithms: [ACCESS_TOKEN_ALG],
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      requiredClaims: ['sub', 'exp', 'iat', 'tid'],
    });
    const { sub, tid, role, iat, exp, ims } = payload;
    if (
      typeof sub !== 'string' ||
      typeof tid !== 'string' ||
      typeof role !== 'string' ||
      typeof iat !== 'number' ||
      typeof exp !== 'number' ||
      (ims !== undefined && typeof ims !== 'number')
    ) {
      throw new UnauthorizedError('Invalid token claims');
    }
    return { sub, tid, role, iat, exp, ...(ims === undefined ? {} : { ims }) };
  } catch (err) {
    if (err instanceof UnauthorizedError) throw err;
    if (err instanceof errors.JWTExpired) throw new UnauthorizedError('Token expired');
    if (err instanceof errors.JOSEAlgNotAllowed) throw new UnauthorizedError('Token algorithm not allowed');
    if (err instanceof errors.JWSSignatureVerificationFailed)
      throw new UnauthorizedError('Invalid token signature');
    if (err instanceof errors.JWTClaimValidationFailed)
      throw new UnauthorizedError(`Invalid token claim: ${err.claim}`);
    throw new UnauthorizedError('Malformed token');
  }
}
