import { DAY_MS, dayNumber } from '../lib/time';

/** Settlement periods are 14 days long, aligned to a fixed anchor so every seller agrees. */
export const SETTLEMENT_DAYS = 14;
const ANCHOR_DAY = dayNumber(Date.UTC(2020, 0, 2));

export const periodOf = (ms: number): number => Math.floor((dayNumber(ms) - ANCHOR_DAY) / SETTLEMENT_DAYS);
export const periodStartMs = (k: number): number => (ANCHOR_DAY + k * SETTLEMENT_DAYS) * DAY_MS;
export const periodEndMs = (k: number): number => periodStartMs(k + 1);
/** Amazon releases the deposit a few days after the period closes. */
export const depositMs = (k: number): number => periodEndMs(k) + 3 * DAY_MS;
