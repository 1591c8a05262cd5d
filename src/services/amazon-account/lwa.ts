import type { LwaClientConfig } from '../../amazon/lwa';
import type { AppEnv } from '../../env';
import type { CredentialType } from './credentials';

type LwaVars = Pick<
  AppEnv,
  'LWA_BASE_URL' | 'LWA_CLIENT_ID' | 'LWA_CLIENT_SECRET' | 'ADS_CLIENT_ID' | 'ADS_CLIENT_SECRET'
>;

/**
 * The Login with Amazon application a credential belongs to. Seller Central (SP-API) and Amazon
 * Ads are separate LWA applications: a refresh token only works with the client that obtained it.
 */
export function lwaApplication(env: LwaVars, type: CredentialType): LwaClientConfig {
  return type === 'ADS'
    ? { baseUrl: env.LWA_BASE_URL, clientId: env.ADS_CLIENT_ID, clientSecret: env.ADS_CLIENT_SECRET }
    : { baseUrl: env.LWA_BASE_URL, clientId: env.LWA_CLIENT_ID, clientSecret: env.LWA_CLIENT_SECRET };
}
