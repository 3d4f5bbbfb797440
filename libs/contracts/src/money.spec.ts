import { formatMinor, parseDecimal } from './money';

describe('money', () => {
  it.each([
    ['0', '0.00'],
    ['5', '0.05'],
    ['100', '1.00'],
    ['123456', '1234.56'],
    ['-250', '-2.50'],
    ['900719925474099312', '9007199254740993.12'],
  ])('formats %s minor units as %s', (minor, text) => {
    expect(formatMinor(minor, 'EUR')).toBe(text);
  });

  it.each([
    ['12', 1200n],
    ['12.3', 1230n],
    ['12.34', 1234n],
    ['0.01', 1n],
    ['999999999999999.99', 99999999999999999n],
  ])('parses %s exactly', (text, minor) => {
    expect(parseDecimal(text, 'EUR')).toBe(minor);
  });

  it.each(['12.345', '-1', '+1', '1e3', '0x10', '', '.5', '1.', ' 1', 'NaN', '1,00', '1234567890123456'])(
    'refuses %j',
    (text) => {
      expect(() => parseDecimal(text, 'EUR')).toThrow();
    },
  );

  it('refuses an unknown currency', () => {
    expect(() => formatMinor('1', 'XXX')).toThrow(/unsupported currency/);
  });
});
