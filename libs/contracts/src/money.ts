/**
 * Money as integer minor units (bigint), shown as a decimal string. Never a float: 0.1 + 0.2
 * must not decide anyone's balance.
 */
const EXPONENT: Record<string, number> = { EUR: 2, USD: 2 };

export function minorUnitExponent(currency: string): number {
  const exponent = EXPONENT[currency];
  if (exponent === undefined) throw new Error(`unsupported currency ${currency}`);
  return exponent;
}

/** 123456n EUR -> "1234.56" */
export function formatMinor(minor: bigint | string, currency: string): string {
  const value = BigInt(minor);
  const exponent = minorUnitExponent(currency);
  const sign = value < 0n ? '-' : '';
  const digits = (value < 0n ? -value : value).toString().padStart(exponent + 1, '0');
  return exponent === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** "1234.56" EUR -> 123456n; refuses more decimals than the currency has, signs, exponents and junk. */
export function parseDecimal(amount: string, currency: string): bigint {
  const exponent = minorUnitExponent(currency);
  const match = /^(\d{1,15})(?:\.(\d+))?$/.exec(amount);
  if (!match || (match[2] ?? '').length > exponent) {
    throw new Error(`amount must be a decimal string with at most ${exponent} decimals`);
  }
  return BigInt(match[1] + (match[2] ?? '').padEnd(exponent, '0'));
}
