type Cell = string | number | boolean | undefined;

const clean = (v: Cell) => (v === undefined ? '' : String(v).replace(/[\t\r\n]/g, ' '));

export const tsvHeader = (header: readonly string[]): string => `${header.join('\t')}\n`;
export const tsvRows = (rows: readonly (readonly Cell[])[]): string =>
  rows.map((r) => `${r.map(clean).join('\t')}\n`).join('');

/** Amazon flat files: tab-separated, one header row, no quoting, no CR. */
export function toTsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return tsvHeader(header) + tsvRows(rows);
}

/** `2024-01-05T13:45:10+00:00`, the timestamp style of the order flat files. */
export const flatTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
/** `2024-01-05 13:45:10 UTC`, the style of settlement reports. */
export const settlementTime = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
export const price = (cents: number): string => (cents / 100).toFixed(2);
