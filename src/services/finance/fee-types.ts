import { type SQL, sql } from 'drizzle-orm';

/** P&L fee lines, in statement order. */
export const FEE_LINES = [
  'referral',
  'fbaFulfillment',
  'storage',
  'inbound',
  'returns',
  'refundAdministration',
  'other',
] as const;
export type FeeLine = (typeof FEE_LINES)[number];

/** Amazon fee_type names per fee line; anything else in category 'fee' is 'other'. */
export const FEE_TYPES: Record<Exclude<FeeLine, 'other'>, readonly string[]> = {
  referral: ['Commission', 'VariableClosingFee', 'FixedClosingFee'],
  fbaFulfillment: ['FBAPerUnitFulfillmentFee', 'FBAPerOrderFulfillmentFee', 'FBAWeightBasedFee'],
  storage: ['FBAStorageFee', 'FBALongTermStorageFee', 'StorageRenewalBilling'],
  inbound: [
    'FBAInboundTransportationFee',
    'FBAInboundConvenienceFee',
    'FBAInboundDefectFee',
    'FBAInboundTransportationProgramFee',
  ],
  returns: ['FBACustomerReturnPerUnitFee', 'FBACustomerReturnPerOrderFee', 'FBACustomerReturnWeightBasedFee'],
  refundAdministration: ['RefundCommission'],
};

/** `CASE fee_type WHEN … THEN 'referral' … ELSE 'other' END` for a finance_events alias. */
export function feeLineOf(column: SQL): SQL {
  const whens = Object.entries(FEE_TYPES).map(
    ([line, types]) =>
      sql`WHEN ${column} IN (${sql.join(
        types.map((t) => sql`${t}`),
        sql`, `,
      )}) THEN ${line}`,
  );
  return sql`(CASE ${sql.join(whens, sql` `)} ELSE 'other' END)`;
}
