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
