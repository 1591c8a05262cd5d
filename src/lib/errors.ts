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

/** Bound values as they could appear in a server message (short ones would blank ordinary words). */
function paramTexts(params: readonly unknown[]): string[] {
  return params
    .filter((p) => p !== null && p !== undefined && typeof p !== 'boolean')
    .map((p) => (p instanceof Date ? p.toISOString() : typeof p === 'object' ? JSON.stringify(p) : String(p)))
    .filter((text) => text.length >= 3)
    .sort((a, b) => b.length - a.length);
}

/** A server message with bound values and quoted non-identifiers (input values) blanked out. */
function redact(message: string, params: readonly unknown[]): string {
  let safe = message;
  for (const text of paramTexts(params)) safe = safe.replaceAll(text, '[param]');
  return safe.replace(/"([^"]*)"/g, (quoted, inner: string) =>
    /^[A-Za-z_][A-Za-z0-9_$.]*$/.test(inner) ? quoted : '"[value]"',
  );
}

const field = (err: object, ...names: string[]): string | undefined => {
  for (const name of names) {
    const value: unknown = Reflect.get(err, name);
    if (typeof value === 'string' && value) return value;
  }
  return undefined;
};

/** A Postgres error as postgres.js (`constraint_name`) or the Neon driver (`constraint`) reports it. */
function describeDatabaseError(err: object, params: readonly unknown[]): string | undefined {
  const code = field(err, 'code');
  if (!code || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  const where = [
    ['constraint', field(err, 'constraint_name', 'constraint')],
    ['table', field(err, 'table_name', 'table')],
    ['column', field(err, 'column_name', 'column')],
  ]
    .filter(([, value]) => value)
    .map(([name, value]) => `${name} ${value}`);
  const message = redact(field(err, 'message') ?? '', params);
  return `database error ${code}${where.length > 0 ? ` (${where.join(', ')})` : ''}: ${message}`;
}

/**
 * The one safe description of an error, for logs and for error texts users can see. Drizzle wraps
 * every driver error as "Failed query: <sql>\nparams: <every bound value>" (emails, password
 * hashes, token ciphertext); for those it gives the database's own error instead: SQLSTATE,
 * constraint, table and column, and the server's message with bound values blanked out. Never the
 * query text or its parameters. Other errors give name and message, and their cause.
 */
export function describeError(err: unknown): string {
  return describe(err, 0);
}

function describe(err: unknown, depth: number): string {
  if (!(err instanceof Error)) return typeof err === 'string' ? err : 'non-error value thrown';
  if ('query' in err && typeof err.query === 'string' && 'params' in err) {
    const params = Array.isArray(err.params) ? err.params : [];
    const cause = err.cause instanceof Error ? err.cause : undefined;
    if (!cause) return 'database query failed';
    return (
      describeDatabaseError(cause, params) ??
      `database query failed: ${cause.name}: ${redact(cause.message, params)}`
    );
  }
  const own = describeDatabaseError(err, []) ?? `${err.name}: ${err.message}`;
  if (err.cause === undefined || depth >= 3) return own;
  return `${own} (cause: ${describe(err.cause, depth + 1)})`;
}
