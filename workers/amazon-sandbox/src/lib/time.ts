export const DAY_MS = 86_400_000;

/** Days since 1970-01-01 (UTC) of a timestamp. */
export const dayNumber = (ms: number): number => Math.floor(ms / DAY_MS);
export const dayStart = (day: number): number => day * DAY_MS;
export const isoDate = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** ISO 8601 without milliseconds, as Amazon writes timestamps. */
export const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function parseTime(value: string | undefined | null): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
