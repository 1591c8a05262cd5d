import { Hono } from 'hono';
import { invalidInput, spError } from '../lib/errors';
import { sellerStub } from '../lib/seller-stub';
import { type SpEnv, spGate } from '../lib/sp-gate';
import { APP_OWNER } from '../lib/tokens';
import type { Destination } from '../state/types';

/** Notifications API v1: destinations are grantless (application-wide), subscriptions are per seller. */
export const notifications = new Hono<SpEnv>();

const KNOWN_TYPES = new Set([
  'ORDER_CHANGE',
  'ANY_OFFER_CHANGED',
  'FBA_INVENTORY_AVAILABILITY_CHANGES',
  'REPORT_PROCESSING_FINISHED',
  'LISTINGS_ITEM_STATUS_CHANGE',
  'PRICING_HEALTH',
  'FEE_PROMOTION',
  'B2B_ANY_OFFER_CHANGED',
]);

notifications.post(
  '/notifications/v1/destinations',
  spGate('createDestination', { grantless: true }),
  async (c) => {
    const body = await c.req
      .json<{
        name?: unknown;
        resourceSpecification?: {
          sqs?: { arn?: unknown };
          eventBridge?: { region?: unknown; accountId?: unknown };
        };
      }>()
      .catch(() => undefined);
    if (!body || typeof body.name !== 'string' || !body.resourceSpecification)
      return invalidInput(c, 'name and resourceSpecification are required.');
    const spec = body.resourceSpecification;
    let resource: Record<string, unknown>;
    if (spec.sqs && typeof spec.sqs.arn === 'string') {
      resource = { sqs: { arn: spec.sqs.arn } };
    } else if (
      spec.eventBridge &&
      typeof spec.eventBridge.region === 'string' &&
      typeof spec.eventBridge.accountId === 'string'
    ) {
      resource = {
        eventBridge: {
          name: `aws.partner/sellingpartnerapi.amazon/${c.env.SP_APPLICATION_ID}`,
          region: spec.eventBridge.region,
          accountId: spec.eventBridge.accountId,
        },
      };
    } else {
      return invalidInput(
        c,
        'resourceSpecification must hold sqs.arn or eventBridge.region and eventBridge.accountId.',
      );
    }
    const dest = (await sellerStub(c.env, APP_OWNER).createDestination(body.name, resource)) as Destination;
    return c.json({ payload: dest });
  },
);

notifications.get(
  '/notifications/v1/destinations',
  spGate('getDestinations', { grantless: true }),
  async (c) => {
    const list = (await sellerStub(c.env, APP_OWNER).destinations()) as Destination[];
    return c.json({ payload: list });
  },
);

notifications.post(
  '/notifications/v1/subscriptions/:notificationType',
  spGate('createSubscription'),
  async (c) => {
    const type = c.req.param('notificationType');
    if (!KNOWN_TYPES.has(type)) return invalidInput(c, `Invalid notificationType ${type}.`);
    const body = await c.req
      .json<{ payloadVersion?: unknown; destinationId?: unknown }>()
      .catch(() => undefined);
    if (!body || typeof body.payloadVersion !== 'string' || typeof body.destinationId !== 'string') {
      return invalidInput(c, 'payloadVersion and destinationId are required.');
    }
    const dest = await sellerStub(c.env, APP_OWNER).destination(body.destinationId);
    if (!dest) return spError(c, 404, 'NotFound', `Destination ${body.destinationId} not found.`);
    const result = await sellerStub(c.env, c.get('sellerId')).createSubscription(
      type,
      body.destinationId,
      body.payloadVersion,
    );
    if ('conflict' in result)
      return spError(
        c,
        409,
        'Conflict',
        `A subscription for ${type} already exists: ${result.conflict.subscriptionId}`,
      );
    return c.json({ payload: result });
  },
);

notifications.get(
  '/notifications/v1/subscriptions/:notificationType',
  spGate('getSubscription'),
  async (c) => {
    const sub = await sellerStub(c.env, c.get('sellerId')).subscription(c.req.param('notificationType'));
    if (!sub) return spError(c, 404, 'NotFound', 'Subscription not found.');
    return c.json({ payload: sub });
  },
);
