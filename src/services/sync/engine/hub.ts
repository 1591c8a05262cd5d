import type { ServiceContext } from '../../context';

export interface SyncEvent {
  type: 'sync.progress' | 'sync.completed' | 'sync.failed';
  data: Record<string, unknown>;
}

/**
 * The one place the sync talks to the tenant's TenantHub. Best effort: a closed hub or no listener
 * never fails a sync.
 */
export async function publishSyncEvent(
  ctx: Pick<ServiceContext, 'env' | 'logger'>,
  tenantId: string,
  event: SyncEvent,
): Promise<void> {
  try {
    const hub = ctx.env.TENANT_HUB.get(ctx.env.TENANT_HUB.idFromName(tenantId));
    await hub.publish(event);
  } catch (err) {
    ctx.logger.warn('tenant hub publish failed', { error: err });
  }
}
