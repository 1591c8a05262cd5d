import { messageOf } from '../../../lib/errors';

/** Longest reason kept on a job, an alert or a log line. */
const MAX_REASON = 500;

const stringField = (err: object, ...names: string[]): string | undefined => {
  for (const name of names) {
    const value: unknown = Reflect.get(err, name);
    if (typeof value === 'string' && value) return value;
  }
  return undefined;
};

/** A bound value as it could appear inside a server message (short ones would blank ordinary words). */
const boundTexts = (params: unknown): string[] =>
  (Array.isArray(params) ? params : [])
    .filter((p) => p !== null && p !== undefined && typeof p !== 'boolean')
    .map((p) => (p instanceof Date ? p.toISOString() : typeof p === 'object' ? JSON.stringify(p) : String(p)))
    .filter((text) => text.length >= 3)
    .sort((a, b) => b.length - a.length);

/** The server's message with bound values and quoted values (not identifiers) blanked out. */
function redact(message: string, params: unknown): string {
  let safe = message;
  for (const text of boundTexts(params)) safe = safe.replaceAll(text, '[value]');
  return safe.replace(/"([^"]*)"/g, (quoted, inner: string) =>
    /^[A-Za-z_][A-Za-z0-9_$.]*$/.test(inner) ? quoted : '"[value]"',
  );
}

/**
 * A Postgres error as postgres.js (`constraint_name`) or the Neon driver (`constraint`) reports it:
 * SQLSTATE, constraint and table, and the server's message. Never `detail` (it quotes the row), the
 * query text or its parameters.
 */
function describeDatabaseError(err: object, params: unknown): string | undefined {
  const code = stringField(err, 'code');
  if (!code || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  const where = [
    ['constraint', stringField(err, 'constraint_name', 'constraint')],
    ['table', stringField(err, 'table_name', 'table')],
  ]
    .filter(([, value]) => value)
    .map(([name, value]) => `${name} ${value}`);
  const message = redact(stringField(err, 'message') ?? '', params);
  return `database error ${code}${where.length > 0 ? ` (${where.join(', ')})` : ''}: ${message}`;
}

/**
 * The one text a sync stores (job error, SYNC_FAILED alert) and logs for a failure. Drizzle wraps
 * every driver error as "Failed query: <sql>\nparams: <every bound value>", and a sync's bound
 * values are the tenant's orders, SKUs and city hashes: for those only the database's own error
 * is kept. Other errors (Amazon's, our own) keep their message.
 */
export function describeSyncError(err: unknown): string {
  return describe(err).slice(0, MAX_REASON);
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return typeof err === 'string' ? err : 'non-error value thrown';
  if ('query' in err && 'params' in err) {
    const cause = err.cause;
    if (!(cause instanceof Error)) return 'database query failed';
    return (
      describeDatabaseError(cause, err.params) ??
      `database query failed: ${cause.name}: ${redact(cause.message, err.params)}`
    );
  }
  return describeDatabaseError(err, []) ?? messageOf(err);
}
