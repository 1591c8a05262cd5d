import { z } from '@hono/zod-openapi';
import { AMAZON_REGIONS, CREDENTIAL_TYPES } from '../../db/schema/amazon';
import { jsonBody, jsonResponse } from '../../lib/api-schemas';
import { connectAds, listProfiles, selectProfiles } from '../../services/amazon-connect/ads';
import { connectAmazon, connectionStatus, disconnectAmazon } from '../../services/amazon-connect/connect';
import { consentUrl } from '../../services/amazon-connect/consent';
import { ErrorResponse, protectedRoute } from '../protected-route';
import { createRouter } from '../router';

const tags = ['Amazon connection'];
const permissions: ['settings.manage'] = ['settings.manage'];

const MarketplaceId = z.string().regex(/^[A-Z0-9]{10,14}$/, 'expected an Amazon MarketplaceId');
const RedirectUri = z.string().url().max(2000);

const ConnectBody = z
  .object({
    authorizationCode: z
      .string()
      .min(1)
      .max(2000)
      .openapi({ description: 'spapi_oauth_code from the consent redirect' }),
    redirectUri: RedirectUri,
    marketplaceIds: z
      .array(MarketplaceId)
      .max(30)
      .default([])
      .openapi({ description: 'Empty: every participating marketplace' }),
    region: z.enum(AMAZON_REGIONS),
    sellingPartnerId: z
      .string()
      .regex(/^A[A-Z0-9]{5,20}$/)
      .optional()
      .openapi({ description: 'selling_partner_id from the consent redirect (enables notifications)' }),
    state: z.string().max(500).optional(),
  })
  .strict()
  .openapi('ConnectAmazonRequest');

const connectRoute = protectedRoute({
  method: 'post',
  path: '/connect-amazon',
  tags,
  summary: 'Connect the seller account (LWA code exchange, connection test, initial backfill)',
  permissions,
  request: { body: jsonBody(ConnectBody) },
  responses: {
    200: jsonResponse(
      z.object({
        success: z.boolean(),
        credentials: z.object({
          id: z.string(),
          type: z.literal('SPAPI'),
          marketplaceIds: z.array(z.string()),
          isActive: z.boolean(),
          sellingPartnerId: z.string().nullable(),
        }),
        notifications: z.array(z.string()),
        jobs: z.array(z.object({ jobId: z.string(), type: z.string() })),
      }),
      'Connected; the initial backfill is queued',
    ),
    502: jsonResponse(ErrorResponse, 'Amazon failed the connection test'),
  },
});

const Connection = z
  .object({
    id: z.string(),
    type: z.enum(CREDENTIAL_TYPES),
    sellingPartnerId: z.string().nullable(),
    region: z.enum(AMAZON_REGIONS),
    marketplaceIds: z.array(z.string()),
    isActive: z.boolean(),
    lastError: z.string().nullable(),
    connectedAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi('AmazonConnection');

const statusRoute = protectedRoute({
  method: 'get',
  path: '/connect-amazon',
  tags,
  summary: 'Amazon connections of the tenant (never the tokens)',
  permissions,
  responses: { 200: jsonResponse(z.object({ connections: z.array(Connection) }), 'Connections') },
});

const disconnectRoute = protectedRoute({
  method: 'delete',
  path: '/connect-amazon',
  tags,
  summary: 'Disconnect Seller Central (the stored token is deleted; synced data stays)',
  permissions,
  responses: { 200: jsonResponse(z.object({ success: z.boolean() }), 'Disconnected') },
});

const consentRoute = protectedRoute({
  method: 'get',
  path: '/connect-amazon/consent-url',
  tags,
  summary: "Seller Central's consent URL to start the website authorization flow",
  permissions,
  request: { query: z.object({ redirectUri: RedirectUri }).strict() },
  responses: { 200: jsonResponse(z.object({ url: z.string(), state: z.string() }), 'Consent URL') },
});

const AdsConnectBody = z
  .object({
    authorizationCode: z.string().min(1).max(2000),
    redirectUri: RedirectUri,
    region: z.enum(AMAZON_REGIONS),
  })
  .strict()
  .openapi('ConnectAdsRequest');

const Profile = z.object({
  profileId: z.string(),
  marketplaceId: z.string().nullable(),
  countryCode: z.string().nullable(),
  currency: z.string().nullable(),
  timezone: z.string().nullable(),
  accountName: z.string().nullable(),
  isSelected: z.boolean(),
});

const adsConnectRoute = protectedRoute({
  method: 'post',
  path: '/connect-amazon-ads',
  tags,
  summary: 'Connect Amazon Advertising; returns the profiles to choose from',
  permissions,
  request: { body: jsonBody(AdsConnectBody) },
  responses: {
    200: jsonResponse(
      z.object({
        success: z.boolean(),
        credentials: z.object({ id: z.string(), type: z.literal('ADS'), isActive: z.boolean() }),
        profiles: z.array(Profile),
      }),
      'Connected',
    ),
  },
});

const adsDisconnectRoute = protectedRoute({
  method: 'delete',
  path: '/connect-amazon-ads',
  tags,
  summary: 'Disconnect Amazon Advertising',
  permissions,
  responses: { 200: jsonResponse(z.object({ success: z.boolean() }), 'Disconnected') },
});

const profilesRoute = protectedRoute({
  method: 'get',
  path: '/amazon-ads/profiles',
  tags,
  summary: 'Ads profiles of the connected account',
  permissions,
  responses: { 200: jsonResponse(z.object({ profiles: z.array(Profile) }), 'Profiles') },
});

const selectRoute = protectedRoute({
  method: 'put',
  path: '/amazon-ads/profiles',
  tags,
  summary: 'Choose the Ads profiles to sync (queues an Ads sync)',
  permissions,
  request: {
    body: jsonBody(
      z
        .object({
          profileIds: z
            .array(z.string().regex(/^\d{1,20}$/))
            .min(1)
            .max(50),
        })
        .strict(),
    ),
  },
  responses: {
    200: jsonResponse(
      z.object({ profiles: z.array(Profile), jobId: z.string().nullable() }),
      'Selection saved',
    ),
  },
});

/** Mounted at /api/auth next to the account routes. */
export const amazonConnectRoutes = createRouter()
  .openapi(connectRoute, async (c) => {
    // `state` was checked by the frontend that started the flow; the service does not need it.
    const { state: _state, ...input } = c.req.valid('json');
    return c.json(await connectAmazon(c.var.ctx, input), 200);
  })
  .openapi(statusRoute, async (c) => c.json({ connections: await connectionStatus(c.var.ctx) }, 200))
  .openapi(disconnectRoute, async (c) =>
    c.json({ success: await disconnectAmazon(c.var.ctx, { type: 'SPAPI' }) }, 200),
  )
  .openapi(consentRoute, async (c) => c.json(await consentUrl(c.var.ctx, c.req.valid('query')), 200))
  .openapi(adsConnectRoute, async (c) => c.json(await connectAds(c.var.ctx, c.req.valid('json')), 200))
  .openapi(adsDisconnectRoute, async (c) =>
    c.json({ success: await disconnectAmazon(c.var.ctx, { type: 'ADS' }) }, 200),
  )
  .openapi(profilesRoute, async (c) => c.json({ profiles: await listProfiles(c.var.ctx) }, 200))
  .openapi(selectRoute, async (c) => c.json(await selectProfiles(c.var.ctx, c.req.valid('json')), 200));
