import type { StoredReport } from '../state/types';

export type ProcessingStatus = 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'FATAL' | 'CANCELLED';

export interface ReportTimeline {
  status: ProcessingStatus;
  processingStartMs?: number;
  processingEndMs?: number;
}

/** A report's state is a pure function of its creation time and delays, so tests can predict it. */
export function timeline(r: StoredReport, nowMs: number): ReportTimeline {
  const startMs = r.createdMs + r.queueSeconds * 1000;
  const endMs =
    r.outcome === 'NEVER_FINISH' ? Number.POSITIVE_INFINITY : startMs + r.processingSeconds * 1000;
  if (r.cancelledMs !== undefined && r.cancelledMs <= nowMs && r.cancelledMs < endMs) {
    return {
      status: 'CANCELLED',
      ...(r.cancelledMs >= startMs ? { processingStartMs: startMs } : {}),
      processingEndMs: r.cancelledMs,
    };
  }
  if (r.outcome === 'NEVER_FINISH' || nowMs < startMs) return { status: 'IN_QUEUE' };
  if (nowMs < endMs) return { status: 'IN_PROGRESS', processingStartMs: startMs };
  return { status: r.outcome, processingStartMs: startMs, processingEndMs: endMs };
}

export const completionMs = (r: StoredReport): number =>
  r.createdMs + (r.queueSeconds + r.processingSeconds) * 1000;
