import { describeError } from './errors';

/**
 * Structured JSON logs for Workers Logs / Logpush. Callers pass ids and counts, never PII:
 * keys that look like personal data are dropped here as a second line of defence.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const PII_KEYS = /(email|password|token|secret|authorization|cookie|phone|address|name$|fullname)/i;

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

function scrub(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (PII_KEYS.test(key)) continue;
    // Never `value.message` as is: a database error's message lists every bound parameter.
    if (value instanceof Error) out[key] = { name: value.name, message: describeError(value) };
    else out[key] = value;
  }
  return out;
}

const isLevel = (level: string | undefined): level is LogLevel =>
  level !== undefined && Object.hasOwn(LEVELS, level);

export function createLogger(level: string | undefined, base: Record<string, unknown> = {}): Logger {
  const min = LEVELS[isLevel(level) ? level : 'info'];
  const write = (lvl: LogLevel, message: string, fields: Record<string, unknown> = {}) => {
    if (LEVELS[lvl] < min) return;
    const line = JSON.stringify({
      level: lvl,
      time: new Date().toISOString(),
      message,
      ...base,
      ...scrub(fields),
    });
    if (lvl === 'error') console.error(line);
    else if (lvl === 'warn') console.warn(line);
    else console.log(line);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger(level, { ...base, ...scrub(fields) }),
  };
}
