import { z } from 'zod';
import type { AdsApiClient } from '../../../amazon/ads-api';
import type { SpApiClient } from '../../../amazon/sp-api';
import type { AmazonCredential, SyncJob, SyncTarget } from '../../../db/schema';
import type { CredentialType } from '../../amazon-account/credentials';
import type { Tuning } from '../../amazon-account/tuning';
import type { TenantContext } from '../../context';

/**
 * What an attempt leaves on the job for the next one (the report it is waiting for), so a retry
 * resumes instead of asking Amazon again. Cleared when the job finishes.
 */
export const ResumeState = z.object({
  /** Orders backfill: the flat-file report requested for the range. */
  reportId: z.string().optional(),
  /** Inventory: the listings report requested per marketplace id. */
  listingReports: z.record(z.string(), z.string()).optional(),
});
export type ResumeState = z.infer<typeof ResumeState>;

/** The claimed job as a syncer sees it (the engine's JobRun). */
export interface SyncRun {
  readonly job: SyncJob;
  /** The entity a targeted job is about (one order, ASIN or SKU); empty for a full sync. */
  readonly target: SyncTarget;
  /** State the previous attempt left (empty on the first attempt or when unreadable). */
  readonly resume: ResumeState;
  /** Percent done (kept below 100 until the job finishes) and records written so far. */
  progress(percent: number, records: number): Promise<void>;
  remember(state: ResumeState): Promise<void>;
  /** The type's incremental watermark for this tenant. */
  cursor(): Promise<Date | null>;
  /** Moves the watermark forward only (a late backfill never rewinds it). */
  advanceCursor(at: Date): Promise<void>;
}

/** Everything one sync run needs; built by the job runner from the queue message. */
export interface SyncContext extends TenantContext {
  run: SyncRun;
  credential: AmazonCredential;
  tuning: Tuning;
}

export interface SpSyncContext extends SyncContext {
  sp: SpApiClient;
}

export interface AdsSyncContext extends SyncContext {
  ads: AdsApiClient;
}

export interface SyncOutcome {
  records: number;
  /** Rows or calls that failed without failing the whole job (makes the job `partial`). */
  errors: number;
  warnings: string[];
  /** Instant range whose rollups must be refreshed. */
  affected?: { from: Date; to: Date };
}

/**
 * One data type's sync: which Amazon connection it needs, and the run itself. The engine claims
 * the job, builds the client for that connection, and records the outcome.
 */
export type Syncer =
  | { credential: Extract<CredentialType, 'SPAPI'>; run(ctx: SpSyncContext): Promise<SyncOutcome> }
  | { credential: Extract<CredentialType, 'ADS'>; run(ctx: AdsSyncContext): Promise<SyncOutcome> };
