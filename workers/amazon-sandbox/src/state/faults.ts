/** Faults a seller can switch on through the control API to rehearse Amazon's bad days. */
export interface Faults {
  /** The next N SP-API / Ads calls answer 429 whatever the bucket holds. */
  throttleNext?: number;
  /** The next N calls answer this 5xx status. */
  serverErrorNext?: number;
  serverErrorStatus?: 500 | 503;
  /** Added latency on every SP-API / Ads call. */
  slowMs?: number;
  /** What newly created reports end as. */
  reportOutcome?: 'DONE' | 'FATAL' | 'CANCELLED' | 'NEVER_FINISH';
  /** Report delays for this seller (seconds), overriding the Worker's vars. */
  reportQueueSeconds?: number;
  reportProcessingSeconds?: number;
  /** How report documents are served. */
  document?: 'OK' | 'TRUNCATED_GZIP' | 'NOT_COMPRESSED';
  /** Encode report documents as Windows-1252 instead of UTF-8. */
  cp1252?: boolean;
  /** Deliver each notification twice. */
  duplicateNotifications?: boolean;
  /** Deliver notifications of one emission in reverse order (with older eventTime last). */
  outOfOrderNotifications?: boolean;
  /** The seller's refresh tokens stop working with LWA's invalid_grant. */
  refreshToken?: 'OK' | 'EXPIRED' | 'REVOKED';
  /** The seller takes part in no marketplace (every participation has isParticipating false). */
  noParticipation?: boolean;
}

export const FAULT_KEYS = [
  'throttleNext',
  'serverErrorNext',
  'serverErrorStatus',
  'slowMs',
  'reportOutcome',
  'reportQueueSeconds',
  'reportProcessingSeconds',
  'document',
  'cp1252',
  'duplicateNotifications',
  'outOfOrderNotifications',
  'refreshToken',
  'noParticipation',
] as const;
