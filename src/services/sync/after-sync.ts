import type { Database } from '../../db/client';
import type { AppEnv } from '../../env';
import type { Logger } from '../../lib/logger';
import { bumpDataVersion } from '../cache';
import { refreshSalesRollups } from '../rollups';
import type { SyncOutcome } from './context';

export interface SyncEvent {
  type: 'sync.progress' | 'sync.completed' | 'sync.failed';
  data: Record<string, unknown>;
}

/** Best effort: a closed hub or no listener never fails a sync. */
export async function publish(
  env: AppEnv,
  tenantId: string,
  event: SyncEvent,
  logger?: Logger,
): Promise<void> {
  try {
    const hub = env.TENANT_HUB.get(env.TENANT_HUB.idFromName(tenantId));
    await hub.publish(event);
  } catch (err) {
    logger?.warn('tenant hub publish failed', { error: err as Error });
  }
}

/**
 * What every finished sync does: rollups for the affected days, the tenant's cached views
 * invalidated (data version bump), and an event to the tenant's live connections.
 */
export async function afterSync(
  env: AppEnv,
  db: Database,
  tenantId: string,
  job: { id: string; type: string; status: string },
  outcome: SyncOutcome,
  logger?: Logger,
): Promise<void> {
  if (outcome.affected && (job.type === 'orders' || job.type === 'finance')) {
    await refreshSalesRollups(db, tenantId, { from: outcome.affected.from, to: outcome.affected.to });
  }
  if (outcome.records > 0) await bumpDataVersion(db, tenantId);
  await publish(
    env,
    tenantId,
    {
      type: 'sync.completed',
      data: {
        jobId: job.id,
        syncType: job.type,
        status: job.status,
        records: outcome.records,
        errors: outcome.errors,
      },
    },
    logger,
  );
}
