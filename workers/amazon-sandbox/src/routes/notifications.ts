import { type Context, Hono } from 'hono';
import type { SandboxEnv } from '../env';
import { invalidInput, spError } from '../lib/errors';
import { sellerStub } from '../lib/seller-stub';
import { type SpEnv, spGate } from '../lib/sp-gate';
import { APP_OWNER } from '../lib/tokens';
import type { Destination, Subscription } from '../state/types';

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

const subscriptionKey = (subscriptionId: string) => `subscription:${subscriptionId}`;

/** The subscription with that id and type, and the seller it belongs to, found through the index. */
async function subscriptionById(
  env: SandboxEnv,
  notificationType: string,
  subscriptionId: string,
): Promise<{ sellerId: string; subscription: Subscription } | undefined> {
  const sellerId = await sellerStub(env, APP_OWNER).getValue(subscriptionKey(subscriptionId));
  if (typeof sellerId !== 'string') return undefined;
  const subscription = await sellerStub(env, sellerId).subscription(notificationType);
  return subscription?.subscriptionId === subscriptionId ? { sellerId, subscription } : undefined;
}

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
    // Subscriptions are per seller, but the ById calls are grantless: the application keeps an index.
    const subscriptionId = 'conflict' in result ? result.conflict.subscriptionId : result.subscriptionId;
    await sellerStub(c.env, APP_OWNER).setValue(subscriptionKey(subscriptionId), c.get('sellerId'));
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

const notFoundById = (c: Context<SpEnv>) =>
  spError(c, 404, 'NotFound', 'The resource specified does not exist.', 'Subscription not found.');

notifications.get(
  '/notifications/v1/subscriptions/:notificationType/:subscriptionId',
  spGate('getSubscriptionById', { grantless: true }),
  async (c) => {
    const found = await subscriptionById(
      c.env,
      c.req.param('notificationType'),
      c.req.param('subscriptionId'),
    );
    if (!found) return notFoundById(c);
    const { subscriptionId, payloadVersion, destinationId } = found.subscription;
    return c.json({ payload: { subscriptionId, payloadVersion, destinationId } });
  },
);

/** Grantless: the application removes any of its subscriptions by id; notifications stop at once. */
notifications.delete(
  '/notifications/v1/subscriptions/:notificationType/:subscriptionId',
  spGate('deleteSubscriptionById', { grantless: true }),
  async (c) => {
    const type = c.req.param('notificationType');
    const id = c.req.param('subscriptionId');
    const found = await subscriptionById(c.env, type, id);
    if (!found || !(await sellerStub(c.env, found.sellerId).deleteSubscription(type, id)))
      return notFoundById(c);
    await sellerStub(c.env, APP_OWNER).setValue(subscriptionKey(id), null);
    return c.json({});
  },
);
