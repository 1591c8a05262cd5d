import type { Db } from '../../db/client';
import { activityLog } from '../../db/schema';

/** One audit row; ids and facts only, never passwords, tokens or emails. */
export async function recordActivity(
  db: Db,
  entry: {
    tenantId: string;
    userId: string | null;
    action: string;
    entityType?: string;
    entityId?: string;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await db.insert(activityLog).values({
    tenantId: entry.tenantId,
    userId: entry.userId,
    action: entry.action,
    entityType: entry.entityType ?? null,
    entityId: entry.entityId ?? null,
    details: entry.details ?? {},
  });
}
