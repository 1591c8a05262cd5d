import type { Context } from 'hono';

/** SP-API array parameters are comma-separated (collectionFormat csv); repeated keys are accepted too. */
export function listParam(c: Context, name: string): string[] {
  const values = c.req.queries(name) ?? [];
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

export function intParam(c: Context, name: string, fallback: number): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  return Number.isInteger(n) ? n : undefined;
}

/** Amazon rejects timestamps it cannot parse as ISO 8601. */
export function timeParam(c: Context, name: string): number | undefined | 'invalid' {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw)) return 'invalid';
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? 'invalid' : ms;
}
