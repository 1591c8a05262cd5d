import { toBase64Url, toHex } from './encoding';

/**
 * Opaque one-time secrets (refresh and invite tokens). Only their SHA-256 is stored, so a database
 * leak gives nothing a client could present; 32 random bytes make a slow hash unnecessary.
 */
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;
export const INVITE_TOKEN_TTL_SECONDS = 7 * 24 * 60 * 60;

export function generateOpaqueToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return toHex(new Uint8Array(digest));
}

/** Shape check before any database work: 43 base64url characters. */
export const OPAQUE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
