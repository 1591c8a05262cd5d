/** Token formats carry the seller id so a request can be routed to that seller's Durable Object. */

const b64url = (s: string): string => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const unb64url = (s: string): string | undefined => {
  try {
    return atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return undefined;
  }
};

export const randomHex = (bytes = 16): string =>
  [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');

/** `Atza|` access tokens and `Atzr|` refresh tokens, as LWA issues them. */
export const newAccessToken = (owner: string): string => `Atza|${b64url(owner)}.${randomHex(24)}`;
export const newRefreshToken = (owner: string): string => `Atzr|${b64url(owner)}.${randomHex(24)}`;
export const newAuthCode = (owner: string): string => `ANsbx${b64url(owner)}.${randomHex(10)}`;

/** The owner (seller id, or `app:` for grantless tokens) encoded in any token this sandbox issued. */
export function tokenOwner(token: string | undefined | null): string | undefined {
  if (!token) return undefined;
  const m = /^(?:Atza\||Atzr\||ANsbx)([A-Za-z0-9_-]+)\.[0-9a-f]+$/.exec(token);
  if (!m) return undefined;
  const owner = unb64url(m[1]!);
  return owner && /^[A-Za-z0-9:_-]{1,64}$/.test(owner) ? owner : undefined;
}

export const APP_OWNER = 'app:grantless';
