import { DurableObject } from 'cloudflare:workers';
import { type AccessTokenRequest, type AccessTokenResult, TokenCache } from '../../src/amazon/token-cache';

/**
 * The LWA access token of one credential, shared by every isolate that works with it: one refresh
 * for the whole fleet, reused until 60 s before it expires. The object decrypts the stored refresh
 * token itself, so the plain refresh token never crosses an RPC boundary. Objects are named in
 * `./index.ts`.
 */
export class LwaTokenCache extends DurableObject<Env> {
  private readonly tokens = new TokenCache(this.env);

  accessToken(req: AccessTokenRequest): Promise<AccessTokenResult> {
    return this.tokens.get(req);
  }

  /** How many LWA refreshes this object performed (tests and status). */
  tokenRefreshes(): number {
    return this.tokens.refreshes;
  }
}
