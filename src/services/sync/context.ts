import type { Priority } from '../../amazon/quota';
import type { SpApiClient } from '../../amazon/sp-api';
import type { Database } from '../../db/client';
import type { AmazonCredential, SyncJob } from '../../db/schema';
import type { AppEnv } from '../../env';
import type { Logger } from '../../lib/logger';
import type { Tuning } from '../amazon-account/tuning';

/** Everything one sync run needs; built by the job runner from the queue message. */
export interface SyncContext {
  env: AppEnv;
  db: Database;
  tenantId: string;
  job: SyncJob;
  credential: AmazonCredential;
  sp: SpApiClient;
  priority: Priority;
  tuning: Tuning;
  logger: Logger;
  marketplaceIds: string[];
  /** Tenant-local time zone: snapshot days and rollup days are tenant-local. */
  timezone: string;
  progress(percent: number, records: number): Promise<void>;
  /** Resumable state for the next attempt (e.g. the report being waited for). */
  remember(state: Record<string, unknown>): Promise<void>;
  fetcher: typeof fetch;
}

export interface SyncOutcome {
  records: number;
  /** Rows or calls that failed without failing the whole job (makes the job `partial`). */
  errors: number;
  warnings: string[];
  /** Instant range whose rollups must be refreshed. */
  affected?: { from: Date; to: Date };
}

export const emptyOutcome = (): SyncOutcome => ({ records: 0, errors: 0, warnings: [] });
