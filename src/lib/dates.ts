import { z } from '@hono/zod-openapi';
import { ValidationError } from './errors';

/** Longest range any view accepts (two years plus a leap day). */
export const MAX_RANGE_DAYS = 731;

/**
 * Years any date input may name. Seller data starts long after 2000 and plans end well before
 * 2100; outside this range JavaScript and Postgres disagree (year 0, extended years such as
 * `-200000-01-01`), which would reach the database as a 500 instead of a 400.
 */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

const yearInRange = (year: number) => year >= MIN_YEAR && year <= MAX_YEAR;

/** A real calendar day `YYYY-MM-DD` (no 30 February) between MIN_YEAR and MAX_YEAR. */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value) || !yearInRange(Number(value.slice(0, 4)))) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** `YYYY-MM-DD` or an ISO 8601 date-time (`2026-01-31T12:00:00Z`), day part as `isIsoDate`. */
export function isIsoDateOrDateTime(value: string): boolean {
  return ISO_DATE_TIME.test(value) && isIsoDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value));
}

const yearsMessage = `between ${MIN_YEAR} and ${MAX_YEAR}`;

/** A calendar day `YYYY-MM-DD`, read as a day of the tenant's time zone. */
export const isoDate = z
  .string()
  .refine(isIsoDate, { message: `expected an ISO date YYYY-MM-DD ${yearsMessage}` })
  .openapi({ example: '2026-01-31', description: 'Calendar day in the tenant time zone' });

/** An instant or a day: `YYYY-MM-DD` or an ISO 8601 date-time. */
export const isoDateOrDateTime = z
  .string()
  .refine(isIsoDateOrDateTime, {
    message: `expected an ISO 8601 date or date-time ${yearsMessage}`,
  })
  .openapi({ example: '2026-01-31T00:00:00Z' });

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function addYears(day: string, years: number): string {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  // 29 February falls back to 28 February in a non-leap year.
  const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Inclusive number of days from start to end. */
export function daysBetween(start: string, end: string): number {
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000) + 1;
}

/** Today's calendar day in an IANA time zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export interface DayRange {
  start: string;
  end: string;
}

/** Rejects end before start and ranges longer than `maxDays` with a 400 naming the fields. */
export function assertRange(
  range: DayRange,
  maxDays = MAX_RANGE_DAYS,
  fields = ['startDate', 'endDate'],
): void {
  if (range.end < range.start) {
    throw new ValidationError('endDate must not be before startDate', [
      { field: `query.${fields[1]}`, message: 'must be on or after startDate', code: 'invalid_range' },
    ]);
  }
  if (daysBetween(range.start, range.end) > maxDays) {
    throw new ValidationError(`Date range is longer than ${maxDays} days`, [
      {
        field: `query.${fields[1]}`,
        message: `range must be at most ${maxDays} days`,
        code: 'range_too_long',
      },
    ]);
  }
}

/** The period of the same length just before, or the same days one year earlier. */
export function comparisonRange(range: DayRange, kind: 'previous_period' | 'previous_year'): DayRange {
  if (kind === 'previous_year') return { start: addYears(range.start, -1), end: addYears(range.end, -1) };
  const length = daysBetween(range.start, range.end);
  return { start: addDays(range.start, -length), end: addDays(range.start, -1) };
}

/** A timestamp as ISO 8601, whether the driver gave a Date or a string; null stays null. */
export function toIso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return (v instanceof Date ? v : new Date(typeof v === 'number' ? v : String(v))).toISOString();
}
