import { decimal, percentChange, percentOf } from '../../lib/money';
import type { Statement } from './statement';

/** Plain-language advice from the statement; thresholds are common Amazon seller rules of thumb. */
export function recommendations(cur: Statement, prev: Statement | null): string[] {
  const out: string[] = [];
  const net = cur.netRevenue;
  if (Number(decimal(net)) <= 0)
    return ['No sales in this period yet: the statement fills in once orders sync.'];
  const netMargin = percentOf(cur.netIncome, net) ?? 0;
  const tacos = percentOf(cur.advertising, net) ?? 0;
  const refundRate = percentOf(cur.refunds, cur.grossSales) ?? 0;
  const feeRate = percentOf(cur.feesTotal, net) ?? 0;
  const storageRate = percentOf(cur.fees.storage, net) ?? 0;
  if (netMargin < 0)
    out.push(
      `You lost money: net income is ${netMargin}% of net revenue. Review prices, costs and ad spend first.`,
    );
  else if (netMargin < 10)
    out.push(
      `Net margin is thin at ${netMargin}%. Raising prices on best sellers or cutting the largest cost line would help most.`,
    );
  if (tacos > 15)
    out.push(
      `Advertising takes ${tacos}% of net revenue. Pause keywords with high ACoS and move budget to campaigns that convert.`,
    );
  if (refundRate > 5)
    out.push(
      `Refunds are ${refundRate}% of gross sales. Check the most refunded products for listing or quality problems.`,
    );
  if (storageRate > 2)
    out.push(
      `Storage fees are ${storageRate}% of net revenue. Reduce slow-moving and excess stock before long-term storage fees apply.`,
    );
  if (Number(decimal(cur.cogs)) === 0 && cur.units > 0)
    out.push('No product costs are set, so profit is overstated. Enter unit costs on your products.');
  if (prev && Number(decimal(prev.netRevenue)) > 0) {
    const prevFeeRate = percentOf(prev.feesTotal, prev.netRevenue) ?? 0;
    if (feeRate - prevFeeRate > 2)
      out.push(
        `Amazon fees rose from ${prevFeeRate}% to ${feeRate}% of net revenue. Check for size-tier or fee changes on your top products.`,
      );
    const change = percentChange(net, prev.netRevenue) ?? 0;
    if (change < -10)
      out.push(
        `Net revenue fell ${Math.abs(change)}% against the comparison period. Look at stock-outs and lost buy boxes.`,
      );
  }
  if (Number(decimal(cur.estimatedFees)) > 0)
    out.push(
      `${decimal(cur.estimatedFees)} of Amazon fees are still estimates; the figures firm up when those fees post.`,
    );
  if (out.length === 0)
    out.push('Margins, fees, refunds and ad spend are within healthy ranges for this period.');
  return out;
}
