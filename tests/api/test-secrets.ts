/** Fixed, obviously fake secrets for the test Worker (never used outside tests). */
export const TEST_SECRETS = {
  JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789abcdef',
  TOKEN_ENCRYPTION_KEYS:
    '1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=,2:ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=',
  LWA_CLIENT_ID: 'amzn1.application-oa2-client.sandbox',
  LWA_CLIENT_SECRET: 'sandbox-secret',
  ADS_CLIENT_ID: 'amzn1.application-oa2-client.sandbox',
  ADS_CLIENT_SECRET: 'sandbox-secret',
  NOTIFICATIONS_API_KEY: 'test-notifications-api-key-0123456789',
};

export const hex = (bytes: number) =>
  [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
export const base64Key = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** Secrets as `npm run dev` or an operator would make them: random, of the documented size. */
export function strongSecrets() {
  return {
    JWT_SECRET: hex(32),
    TOKEN_ENCRYPTION_KEYS: `1:${base64Key(crypto.getRandomValues(new Uint8Array(32)))},2:${base64Key(crypto.getRandomValues(new Uint8Array(32)))}`,
    LWA_CLIENT_ID: `amzn1.application-oa2-client.${hex(16)}`,
    LWA_CLIENT_SECRET: `amzn1.oa2-cs.v1.${hex(32)}`,
    ADS_CLIENT_ID: `amzn1.application-oa2-client.${hex(16)}`,
    ADS_CLIENT_SECRET: `amzn1.oa2-cs.v1.${hex(32)}`,
    NOTIFICATIONS_API_KEY: hex(24),
  };
}
