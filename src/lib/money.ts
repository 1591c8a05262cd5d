// Exact decimal helpers. Amounts travel as decimal strings (Postgres numeric); arithmetic that must
// happen outside SQL uses bigint at a fixed scale, never JS floats.

const SCALE = 4;

/** An amount with its currency: every money value the API returns has this shape. */
export interface Money {
  amount: string;
  currency: string;
}

export function toUnits(value: string | number | null | undefined): bigint {
  if (value === null || value === undefined || value === '') return 0n;
  const text = typeof value === 'number' ? value.toFixed(SCALE) : value.trim();
  const match = /^(-)?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new Error(`not a decimal: ${text}`);
  const [, sign, int = '', frac = ''] = match;
  const digits = BigInt((int || '0') + frac.padEnd(SCALE, '0').slice(0, SCALE));
  // Digits beyond the scale round half away from zero.
  const extra = frac.length > SCALE && Number(frac[SCALE]) >= 5 ? 1n : 0n;
  const units = digits + extra;
  return sign ? -units : units;
}

/** Formats scaled units with `places` decimals (at most 4), rounding half away from zero. */
export function fromUnits(units: bigint, places = 2): string {
  const drop = 10n ** BigInt(SCALE - places);
  const abs = ((units < 0n ? -units : units) + drop / 2n) / drop;
  return formatSteps(units < 0n ? -abs : abs, places);
}

/** A whole number of 10^-places steps as decimal text: (-1234n, 2) gives "-12.34". */
function formatSteps(steps: bigint, places: number): string {
  const abs = steps < 0n ? -steps : steps;
  const base = 10n ** BigInt(places);
  const frac = (abs % base).toString().padStart(places, '0');
  const text = places > 0 ? `${abs / base}.${frac}` : `${abs / base}`;
  return steps < 0n ? `-${text}` : text;
}

export function decimal(value: string | number | null | undefined, places = 2): string {
  return fromUnits(toUnits(value), places);
}

export function money(amount: string | number | null | undefined, currency: string): Money {
  return { amount: decimal(amount), currency };
}

export function sum(...values: Array<string | null | undefined>): string {
  return fromUnits(
    values.reduce<bigint>((acc, v) => acc + toUnits(v), 0n),
    SCALE,
  );
}

export function sub(a: string | null | undefined, b: string | null | undefined): string {
  return fromUnits(toUnits(a) - toUnits(b), SCALE);
}

/** 100 × a / b rounded to 2 decimals, or null when b is zero. */
export function percentOf(a: string | null | undefined, b: string | null | undefined): number | null {
  const den = toUnits(b);
  if (den === 0n) return null;
  const scaled = (toUnits(a) * 100n * 100n * 2n) / den;
  // Round half away from zero at 2 decimals.
  const rounded = scaled >= 0n ? (scaled + 1n) / 2n : (scaled - 1n) / 2n;
  return Number(rounded) / 100;
}

/** Percent change from previous to current (null when previous is zero). */
export function percentChange(
  current: string | null | undefined,
  previous: string | null | undefined,
): number | null {
  return percentOf(sub(current, previous), previous);
}

/** a / b with `places` decimals (ratios such as average order value), null when b is zero. */
export function divide(
  a: string | null | undefined,
  b: string | number | null | undefined,
  places = 2,
): string | null {
  const den = toUnits(typeof b === 'number' ? String(b) : b);
  if (den === 0n) return null;
  const twice = (toUnits(a) * 10n ** BigInt(places) * 2n) / den;
  // Half away from zero: the doubled quotient is truncated towards zero, then halved outwards.
  return formatSteps(twice >= 0n ? (twice + 1n) / 2n : (twice - 1n) / 2n, places);
}
