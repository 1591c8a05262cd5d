import { decryptSecret, type EncryptedSecret } from '../lib/crypto';
import { AmazonError } from './errors';
import { refreshAccessToken } from './lwa';

export interface AccessTokenRequest {
  tenantId: string;
  secret: EncryptedSecret;
  lwaBaseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Drop the cached token first (Amazon said it was expired or invalid). */
  forceRefresh?: boolean;
}

export type AccessTokenResult =
  | { ok: true; accessToken: string; expiresAt: number; refreshed: boolean }
  | { ok: false; kind: 'auth' | 'transient' | 'permanent'; message: string };

/** Reuse a token until this long before it expires. */
const EARLY_MS = 60_000;

/**
 * Lives inside one credential's LwaTokenCache object: concurrent callers share one in-flight
 * refresh, and the result is kept in memory (an eviction costs one extra refresh, never a wrong
 * token). Entries are keyed by the stored secret's IV, which is fresh on every encryption, so a
 * re-connect (a new refresh token) never gets the old token.
 */
export class TokenCache {
  private readonly cache = new Map<string, { accessToken: string; expiresAt: number }>();
  private readonly inflight = new Map<string, Promise<AccessTokenResult>>();
  refreshes = 0;

  constructor(private readonly env: { TOKEN_ENCRYPTION_KEYS: string }) {}

  get(req: AccessTokenRequest): Promise<AccessTokenResult> {
    const key = req.secret.iv;
    if (req.forceRefresh) this.cache.delete(key);
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt - EARLY_MS > Date.now())
      return Promise.resolve({
        ok: true,
        accessToken: hit.accessToken,
        expiresAt: hit.expiresAt,
        refreshed: false,
      });
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.refresh(key, req).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  private async refresh(key: string, req: AccessTokenRequest): Promise<AccessTokenResult> {
    try {
      const refreshToken = await decryptSecret(req.secret, this.env.TOKEN_ENCRYPTION_KEYS, req.tenantId);
      this.refreshes++;
      const tokens = await refreshAccessToken(
        { baseUrl: req.lwaBaseUrl, clientId: req.clientId, clientSecret: req.clientSecret },
        refreshToken,
      );
      const expiresAt = Date.now() + tokens.expiresIn * 1000;
      this.cache.set(key, { accessToken: tokens.accessToken, expiresAt });
      return { ok: true, accessToken: tokens.accessToken, expiresAt, refreshed: true };
    } catch (err) {
      if (err instanceof AmazonError) return { ok: false, kind: err.kind, message: err.message };
      // A decrypt failure means the stored secret cannot be used: treat like an invalid grant.
      return { ok: false, kind: 'auth', message: 'Stored Amazon credential could not be decrypted' };
    }
  }
}
