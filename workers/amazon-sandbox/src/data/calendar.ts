import { DAY_MS } from '../lib/time';

/** Demand multiplier for a day: yearly wave, Q4 peak, Prime Day, weekday pattern. */
export function demandFactor(day: number): number {
  const d = new Date(day * DAY_MS);
  const month = d.getUTCMonth();
  const date = d.getUTCDate();
  const doy = Math.floor((day * DAY_MS - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS);
  let f = 1 + 0.2 * Math.sin((2 * Math.PI * (doy - 80)) / 365);
  if ((month === 10 && date >= 20) || (month === 11 && date <= 22)) f *= 1.6; // holiday season
  if (month === 6 && (date === 15 || date === 16)) f *= 2.2; // Prime Day
  const weekday = [1.12, 1.04, 0.98, 0.96, 0.97, 0.95, 0.98][d.getUTCDay()]!;
  return f * weekday;
}
