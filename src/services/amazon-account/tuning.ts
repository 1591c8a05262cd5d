import { DEFAULT_RETRY, type RetryPolicy } from '../../amazon/http';
import { DEFAULT_POLL, type PollPolicy } from '../../amazon/reports';
import type { AmazonWaitVars } from '../../env';

/** Optional vars that shorten waits (tests, the local sandbox); production uses the defaults. */
export type TuningVars = AmazonWaitVars;

export interface Tuning {
  retry: RetryPolicy;
  poll: PollPolicy;
}

const num = (v: string | undefined, fallback: number) => {
  const n = Number(v);
  return v !== undefined && v !== '' && Number.isFinite(n) && n >= 0 ? n : fallback;
};

export function tuningFrom(env: TuningVars): Tuning {
  return {
    retry: {
      ...DEFAULT_RETRY,
      baseMs: num(env.AMAZON_RETRY_BASE_MS, DEFAULT_RETRY.baseMs),
      maxWaitMs: num(env.AMAZON_MAX_WAIT_MS, DEFAULT_RETRY.maxWaitMs),
    },
    poll: {
      firstMs: num(env.REPORT_POLL_FIRST_MS, DEFAULT_POLL.firstMs),
      maxMs: num(env.REPORT_POLL_MAX_MS, DEFAULT_POLL.maxMs),
      deadlineMs: num(env.REPORT_DEADLINE_MS, DEFAULT_POLL.deadlineMs),
    },
  };
}
