import type { SyncJob } from '../../../db/schema';
import { bumpDataVersion } from '../../cache';
import type { ServiceContext } from '../../context';
import { refreshSalesRollups } from '../../rollups';
import type { SyncOutcome } from './context';

/** Types whose rows feed the sales rollups. */
const ROLLED_UP: ReadonlySet<SyncJob['type']> = new Set(['orders', 'finance']);

/**
 * What every finished sync does to the data: rollups for the affected days, then the tenant's
 * cached views invalidated (data version bump). The job run then tells the tenant's hub.
 */
export async function afterSync(
  ctx: Pick<ServiceContext, 'db'>,
  job: Pick<SyncJob, 'tenantId' | 'type'>,
  outcome: SyncOutcome,
): Promise<void> {
  if (outcome.affected && ROLLED_UP.has(job.type)) {
    await refreshSalesRollups(ctx.db, job.tenantId, { from: outcome.affected.from, to: outcome.affected.to });
  }
  if (outcome.records > 0) await bumpDataVersion(ctx.db, job.tenantId);
}
