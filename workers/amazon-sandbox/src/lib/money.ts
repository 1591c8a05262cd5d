/** Money is computed in integer minor units (cents) and formatted only at the edge. */
export const toAmount = (cents: number): number => Math.round(cents) / 100;
export const toDecimalString = (cents: number): string => (Math.round(cents) / 100).toFixed(2);
