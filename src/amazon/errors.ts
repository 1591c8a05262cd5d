/**
 * How an Amazon failure should be handled: `transient` is retried (with the delay when known),
 * `permanent` fails fast, `auth` marks the credential inactive and raises an alert.
 */
export type AmazonErrorKind = 'transient' | 'permanent' | 'auth';

export class AmazonError extends Error {
  constructor(
    readonly kind: AmazonErrorKind,
    message: string,
    readonly status?: number,
    /** Milliseconds after which a retry makes sense, when Amazon or the limiter said so. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'AmazonError';
  }
}

/** LWA refused the refresh token or code (revoked, expired, wrong client): never retried. */
export class InvalidGrantError extends AmazonError {
  constructor(message: string) {
    super('auth', message, 400);
    this.name = 'InvalidGrantError';
  }
}

/** The limiter says the next token is further away than a consumer should sleep. */
export class QuotaWaitError extends AmazonError {
  constructor(operation: string, waitMs: number) {
    super(
      'transient',
      `Quota for ${operation} is used up; next call allowed in ${Math.ceil(waitMs / 1000)} s`,
      429,
      waitMs,
    );
    this.name = 'QuotaWaitError';
  }
}

export class ReportError extends AmazonError {
  constructor(
    kind: AmazonErrorKind,
    message: string,
    readonly reportId?: string,
  ) {
    super(kind, message);
    this.name = 'ReportError';
  }
}

/** Amazon's error envelope (`errors[]`) or LWA's (`error`, `error_description`); fields are optional. */
export function describeAmazonBody(body: unknown): string {
  const errors = (body as { errors?: { code?: string; message?: string; details?: string }[] } | null)
    ?.errors;
  if (Array.isArray(errors) && errors.length > 0) {
    return errors.map((e) => [e.code, e.message, e.details].filter(Boolean).join(': ')).join('; ');
  }
  const lwa = body as { error?: string; error_description?: string } | null;
  if (lwa?.error) return [lwa.error, lwa.error_description].filter(Boolean).join(': ');
  return 'no error details';
}
