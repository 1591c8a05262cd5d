import { z } from '@hono/zod-openapi';
import { AMAZON_REGIONS, CREDENTIAL_TYPES } from '../../db/schema/amazon';
import { BoolQuery, jsonBody, jsonResponse } from '../../lib/api-schemas';
import { connectAds, listProfiles, selectProfiles } from '../../services/amazon-connect/ads';
import { connectAmazon, connectionStatus, disconnectAmazon } from '../../services/amazon-connect/connect';
import { consentUrl } from '../../services/amazon-connect/consent';
import { ErrorResponse, protectedRoute } from '../protected-route';
import { createRouter } from '../router';

const tags = ['Amazon connection'];
const permissions: ['settings.manage'] = ['settings.manage'];

const MarketplaceId = z.string().regex(/^[A-Z0-9]{10,14}$/, 'expected an Amazon MarketplaceId');
/** Hosts where a plain-http redirect is fine: the developer's own machine. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1']);

/** https only (http for localhost and 127.0.0.1 in development): never javascript:, data:, file:. */
function isSafeRedirect(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

const RedirectUri = z
  .string()
  .max(2000)
  .refine(isSafeRedirect, 'expected an https URL (http only for localhost or 127.0.0.1)')
  .openapi({ description: 'https URL (http only for localhost or 127.0.0.1), as registered with Amazon' });

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
      .openapi({
        description:
          'selling_partner_id from the consent redirect (Amazon always sends it). Required: it is ' +
          "verified with Amazon (Listings Items answers 403 for a seller other than the grant's) " +
          'and a mismatch is refused with 400 `seller_mismatch`.',
      }),
    state: z
      .string()
      .min(1)
      .max(500)
      .openapi({
        description:
          'state from the consent redirect, exactly as GET /connect-amazon/consent-url issued it. ' +
          'Bound to this tenant and valid for one hour; otherwise 400 `invalid_state` before any call to Amazon.',
      }),
  })
  .strict()
  .openapi('ConnectAmazonRequest');

const connectRoute = protectedRoute({
  method: 'post',
  path: '/connect-amazon',
  tags,
  summary: 'Connect the seller account (LWA code exchange, connection test, initial backfill)',
  description:
    'Checks, in order and before storing anything: the consent `state` (this tenant, under one hour ' +
    'old), the authorization code (LWA), the marketplaces (getMarketplaceParticipations; a seller ' +
    'active in none is refused) and that the code belongs to `sellingPartnerId` (Listings Items). ' +
    'Any refusal is a 4xx and leaves nothing stored. Then the credential, marketplaces and ' +
    'notification subscriptions are stored in one transaction and the 90-day backfill is queued.',
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
  summary: 'Disconnect Seller Central (token and notification subscriptions; synced data on request)',
  description:
    "Deletes the seller's notification subscriptions at Amazon (deleteSubscriptionById; a " +
    'subscription another tenant of the same seller still uses stays) and then, in one transaction, ' +
    'the stored refresh token and the subscriptions here. With `deleteData=true` the same transaction ' +
    'also deletes everything synced from Seller Central: orders and items, products, inventory, ' +
    'prices and competitor offers, finance events, settlements, rollups, marketplaces, SP-API sync ' +
    'jobs and cursors, and notifications received (Advertising data stays). If Amazon fails, ' +
    'nothing is deleted (502) and the call can be repeated.',
  permissions,
  request: {
    query: z
      .object({
        deleteData: BoolQuery.optional().openapi({
          description: 'true: also delete the data synced from Seller Central',
        }),
      })
      .strict(),
  },
  responses: {
    200: jsonResponse(
      z.object({
        success: z.boolean().openapi({ description: 'A stored connection was deleted' }),
        dataDeleted: z.boolean(),
      }),
      'Disconnected',
    ),
    502: jsonResponse(ErrorResponse, 'Amazon failed to delete the subscriptions; nothing was deleted'),
  },
});

const consentRoute = protectedRoute({
  method: 'get',
  path: '/connect-amazon/consent-url',
  tags,
  summary: "Seller Central's consent URL to start the website authorization flow",
  description:
    '`state` (also inside `url`) is bound to this tenant and valid for one hour: Amazon sends it ' +
    'back on the redirect, and POST /connect-amazon requires it unchanged.',
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
  .openapi(connectRoute, async (c) => c.json(await connectAmazon(c.var.ctx, c.req.valid('json')), 200))
  .openapi(statusRoute, async (c) => c.json({ connections: await connectionStatus(c.var.ctx) }, 200))
  .openapi(disconnectRoute, async (c) =>
    c.json(await disconnectAmazon(c.var.ctx, { type: 'SPAPI', ...c.req.valid('query') }), 200),
  )
  .openapi(consentRoute, async (c) => c.json(await consentUrl(c.var.ctx, c.req.valid('query')), 200))
  .openapi(adsConnectRoute, async (c) => c.json(await connectAds(c.var.ctx, c.req.valid('json')), 200))
  .openapi(adsDisconnectRoute, async (c) => {
    const { success } = await disconnectAmazon(c.var.ctx, { type: 'ADS' });
    return c.json({ success }, 200);
  })
  .openapi(profilesRoute, async (c) => c.json({ profiles: await listProfiles(c.var.ctx) }, 200))
  .openapi(selectRoute, async (c) => c.json(await selectProfiles(c.var.ctx, c.req.valid('json')), 200));
