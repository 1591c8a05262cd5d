import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Stable machine-readable codes of the one error envelope. */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'VALIDATION_FAILED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'AMAZON_API_ERROR'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_ERROR';

export const codeToStatus: Record<ErrorCode, ContentfulStatusCode> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  AMAZON_API_ERROR: 502,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
};

/**
 * A transport-free error carrying a code. Services throw these; the app's error handler turns
 * them into the envelope `{ error: { code, message, details?, requestId } }`.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After on 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): ContentfulStatusCode {
    return codeToStatus[this.code];
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super('VALIDATION_FAILED', message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required') {
    super('UNAUTHORIZED', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Forbidden', details?: unknown) {
    super('FORBIDDEN', message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Resource not found') {
    super('NOT_FOUND', message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super('CONFLICT', message, details);
  }
}

export class RateLimitError extends AppError {
  constructor(
    retryAfterSeconds: number,
    message = 'Too many requests',
    headers: Record<string, string> = {},
  ) {
    const retryAfter = String(Math.max(1, Math.ceil(retryAfterSeconds)));
    super(
      'RATE_LIMITED',
      message,
      { retryAfter: Number(retryAfter) },
      { ...headers, 'Retry-After': retryAfter },
    );
  }
}

export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; details?: unknown; requestId: string };
}

export function errorEnvelope(
  code: ErrorCode,
  message: string,
  requestId: string,
  details?: unknown,
): ErrorEnvelope {
  return { error: { code, message, ...(details === undefined ? {} : { details }), requestId } };
}

interface ZodLikeIssue {
  path: PropertyKey[];
  message: string;
  code: string;
}

/** Field-level details for the error envelope: `[{ field: 'body.email', message, code }]`. */
export function issuesToDetails(issues: readonly ZodLikeIssue[], target?: string) {
  return issues.map((issue) => ({
    field: [target, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: issue.message,
    code: issue.code,
  }));
}

/** The message of anything thrown (not every throw is an Error). */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
