import { addDays, type DayRange, todayIn } from '../../lib/dates';
import { ValidationError } from '../../lib/errors';

export const FINANCE_PERIODS = ['today', 'week', 'month', 'quarter', 'year', 'custom'] as const;
export type FinancePeriod = (typeof FINANCE_PERIODS)[number];

/** Calendar period to date in the tenant's time zone (weeks start on Monday). */
export function resolvePeriod(
  period: FinancePeriod,
  timezone: string,
  custom: Partial<DayRange>,
  now = new Date(),
): DayRange {
  const today = todayIn(timezone, now);
  const year = today.slice(0, 4);
  const month = Number(today.slice(5, 7));
  switch (period) {
    case 'today':
      return { start: today, end: today };
    case 'week': {
      const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
      return { start: addDays(today, -weekday), end: today };
    }
    case 'month':
      return { start: `${today.slice(0, 7)}-01`, end: today };
    case 'quarter': {
      const quarterStart = Math.floor((month - 1) / 3) * 3 + 1;
      return { start: `${year}-${String(quarterStart).padStart(2, '0')}-01`, end: today };
    }
    case 'year':
      return { start: `${year}-01-01`, end: today };
    case 'custom':
      if (!custom.start || !custom.end)
        throw new ValidationError('startDate and endDate are required when period=custom', [
          { field: 'query.startDate', message: 'required for period=custom', code: 'invalid_type' },
        ]);
      return { start: custom.start, end: custom.end };
  }
}
