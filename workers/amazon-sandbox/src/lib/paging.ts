import type { Context } from 'hono';
import { invalidInput } from './errors';

/** A paged call's query arguments except its token, as sent (list values comma-joined). */
export type PageArguments = Record<string, string>;

export function pageArguments(c: Context, tokenName: string): PageArguments {
  const args: PageArguments = {};
  const params = new URL(c.req.url).searchParams;
  for (const name of new Set(params.keys())) {
    if (name !== tokenName) args[name] = params.getAll(name).join(',');
  }
  return args;
}

/**
 * Amazon's rule for `listTransactions`, `listFinancialEvents` and `searchOrders`: the next page is
 * asked for with the token *and* the same arguments as the call that produced it. Names the
 * arguments that differ (missing, added or changed), in a 400 InvalidInput; undefined when they match.
 */
export function differentArguments(
  c: Context,
  tokenName: string,
  produced: PageArguments,
): Response | undefined {
  const sent = pageArguments(c, tokenName);
  const names = new Set([...Object.keys(produced), ...Object.keys(sent)]);
  const differ = [...names].filter((n) => produced[n] !== sent[n]).sort();
  if (differ.length === 0) return undefined;
  return invalidInput(
    c,
    `${tokenName} must be sent with the same arguments as the call that returned it; these differ: ${differ.join(', ')}.`,
  );
}
