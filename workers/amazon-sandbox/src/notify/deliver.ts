import type { SandboxEnv } from '../env';
import { sellerStub } from '../lib/seller-stub';
import { APP_OWNER } from '../lib/tokens';
import type { Faults } from '../state/faults';
import type { Destination, NotificationTarget } from '../state/types';
import { eventBridgeEvent, type NotificationType, notificationBody } from './envelope';

export interface PendingNotification {
  type: NotificationType;
  payload: Record<string, unknown>;
  eventMs: number;
}

export interface DeliveryResult {
  notificationId: string;
  type: NotificationType;
  delivered: boolean;
  status?: number;
  error?: string;
  url?: string;
}

interface ResolvedTarget {
  target: NotificationTarget;
  subscriptionId: string;
  accountId: string;
  region: string;
}

/**
 * Where a seller's notification of a type goes: its SP-API subscription's destination (with the
 * HTTP target attached to that destination through the control API), else the seller-level target.
 */
async function resolveTarget(
  env: SandboxEnv,
  sellerId: string,
  type: NotificationType,
): Promise<ResolvedTarget | undefined> {
  const seller = sellerStub(env, sellerId);
  const sub = await seller.subscription(type);
  if (sub) {
    const app = sellerStub(env, APP_OWNER);
    const target = (await app.getValue(`target:${sub.destinationId}`)) as NotificationTarget | null;
    const dest = (await app.destination(sub.destinationId)) as Destination | undefined;
    const eb = (dest?.resource.eventBridge ?? {}) as { accountId?: string; region?: string };
    if (target)
      return {
        target,
        subscriptionId: sub.subscriptionId,
        accountId: eb.accountId ?? '000000000000',
        region: eb.region ?? 'us-east-1',
      };
  }
  const direct = await seller.target();
  return direct
    ? {
        target: direct,
        subscriptionId: sub?.subscriptionId ?? `sandbox-${type.toLowerCase()}`,
        accountId: '000000000000',
        region: 'us-east-1',
      }
    : undefined;
}

/** Sends notifications through the seller's targets, applying duplicate / out-of-order faults. */
export async function deliver(
  env: SandboxEnv,
  sellerId: string,
  pending: PendingNotification[],
  faults: Faults,
): Promise<DeliveryResult[]> {
  const stub = sellerStub(env, sellerId);
  const queue: { n: PendingNotification; id: string }[] = pending.map((n) => ({
    n,
    id: crypto.randomUUID(),
  }));
  let sends = faults.duplicateNotifications ? queue.flatMap((q) => [q, q]) : queue;
  if (faults.outOfOrderNotifications) sends = [...sends].reverse();
  const results: DeliveryResult[] = [];
  for (const { n, id } of sends) {
    const resolved = await resolveTarget(env, sellerId, n.type);
    const detail = notificationBody(n.type, n.payload, {
      applicationId: env.SP_APPLICATION_ID,
      subscriptionId: resolved?.subscriptionId ?? 'none',
      notificationId: id,
      eventMs: n.eventMs,
      publishMs: Date.now(),
    });
    const event = eventBridgeEvent(n.type, detail, {
      accountId: resolved?.accountId ?? '000000000000',
      region: resolved?.region ?? 'us-east-1',
      applicationId: env.SP_APPLICATION_ID,
      eventMs: n.eventMs,
    });
    const result = await send(env, sellerId, resolved, event, n.type, id);
    await stub.recordSent({ ...result, event });
    results.push(result);
  }
  return results;
}

async function send(
  env: SandboxEnv,
  sellerId: string,
  resolved: ResolvedTarget | undefined,
  event: Record<string, unknown>,
  type: NotificationType,
  id: string,
): Promise<DeliveryResult> {
  if (!resolved)
    return { notificationId: id, type, delivered: false, error: 'no destination target configured' };
  const { target } = resolved;
  // `inbox://name` keeps deliveries inside the sandbox so tests can read them back.
  if (target.url.startsWith('inbox://')) {
    await sellerStub(env, sellerId).appendInbox(target.url.slice('inbox://'.length), {
      headers: { [target.headerName]: target.headerValue },
      body: event,
    });
    return { notificationId: id, type, delivered: true, status: 200, url: target.url };
  }
  try {
    const res = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [target.headerName]: target.headerValue },
      body: JSON.stringify(event),
    });
    return { notificationId: id, type, delivered: res.ok, status: res.status, url: target.url };
  } catch (err) {
    return { notificationId: id, type, delivered: false, error: String(err), url: target.url };
  }
}
