import { messageOf } from '../lib/errors';
import { AmazonError, describeAmazonBody, InvalidGrantError } from './errors';
import { AMAZON_CALL_TIMEOUT_MS } from './http';

export interface LwaClientConfig {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  fetcher?: typeof fetch;
}

export interface LwaTokens {
  accessToken: string;
  refreshToken?: string;
  expiresIn: number;
}

interface LwaBody {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  error?: string;
  error_description?: string;
}

/** Login with Amazon's token endpoint (form-encoded; the same host serves every SP-API region). */
async function tokenCall(config: LwaClientConfig, fields: Record<string, string>): Promise<LwaTokens> {
  const doFetch = config.fetcher ?? fetch;
  let res: Response;
  try {
    res = await doFetch(`${config.baseUrl.replace(/\/$/, '')}/auth/o2/token`, {
      method: 'POST',
      signal: AbortSignal.timeout(AMAZON_CALL_TIMEOUT_MS),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        ...fields,
        client_id: config.clientId,
        client_secret: config.clientSecret,
      }),
    });
  } catch (err) {
    throw new AmazonError('transient', `Login with Amazon unreachable: ${messageOf(err)}`);
  }
  // LWA's documented token response (or its error shape); each field read is checked below.
  const body = (await res.json().catch(() => null)) as LwaBody | null;
  if (res.ok && body?.access_token) {
    return {
      accessToken: body.access_token,
      ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}),
      expiresIn: Number(body.expires_in ?? 3600),
    };
  }
  // The token text is never part of a message: only LWA's error code and description.
  const reason = describeAmazonBody(body);
  if (body?.error === 'invalid_grant')
    throw new InvalidGrantError(`Login with Amazon rejected the grant (${reason})`);
  if (body?.error === 'invalid_client' || body?.error === 'unauthorized_client')
    throw new AmazonError(
      'auth',
      `Login with Amazon rejected the application credentials (${reason})`,
      res.status,
    );
  if (res.status === 429 || res.status >= 500)
    throw new AmazonError('transient', `Login with Amazon answered ${res.status} (${reason})`, res.status);
  throw new AmazonError('permanent', `Login with Amazon answered ${res.status} (${reason})`, res.status);
}

export function exchangeAuthorizationCode(config: LwaClientConfig, code: string, redirectUri: string) {
  return tokenCall(config, { grant_type: 'authorization_code', code, redirect_uri: redirectUri });
}

export function refreshAccessToken(config: LwaClientConfig, refreshToken: string) {
  return tokenCall(config, { grant_type: 'refresh_token', refresh_token: refreshToken });
}

export function grantlessToken(config: LwaClientConfig, scope: string) {
  return tokenCall(config, { grant_type: 'client_credentials', scope });
}
