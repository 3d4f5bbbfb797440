import { configFailure as failure } from '../testing/config-failure';
import { randomBytes } from 'node:crypto';
import {
  isDevelopment,
  isProduction,
  looksLikeDevelopmentSecret,
  readBoolean,
  readInteger,
  readKey,
  readMode,
  readSecret,
  readString,
} from './env-readers';

describe('run mode: production unless told otherwise', () => {
  it.each([
    [undefined, 'production', true],
    ['', 'production', true],
    ['  ', 'production', true],
    ['production', 'production', true],
    ['development', 'development', false],
    [' development ', 'development', false],
    ['test', 'test', false],
  ])('NODE_ENV=%j is %s', (value, mode, production) => {
    const env = { NODE_ENV: value };
    expect(readMode(env)).toBe(mode);
    expect(isProduction(env)).toBe(production);
    expect(isDevelopment(env)).toBe(!production);
  });

  it.each(['prod', 'staging', 'dev', 'Development', 'TEST'])(
    'refuses NODE_ENV=%s naming it, and gives it no development feature meanwhile',
    (value) => {
      const error = failure(() => readMode({ NODE_ENV: value }));
      expect(error.message).toBe(
        `Invalid configuration: NODE_ENV must be production, development or test (got "${value}"; unset means production)`,
      );
      expect(isDevelopment({ NODE_ENV: value })).toBe(false);
    },
  );

  it('gives a development default only when development is chosen', () => {
    expect(readString({ NODE_ENV: 'development' }, 'X', 'fallback')).toBe('fallback');
    expect(readString({ NODE_ENV: 'test' }, 'X', 'fallback')).toBe('fallback');
    expect(failure(() => readString({}, 'X', 'fallback')).message).toContain(
      'X is required in production mode (NODE_ENV is unset',
    );
    expect(failure(() => readString({ NODE_ENV: 'production' }, 'X', 'fallback')).message).toBe(
      'Invalid configuration: X is required in production mode',
    );
  });
});

describe('readSecret', () => {
  const DEV = 'dev-secret-gateway-change-me';
  const REAL = 'q7N0yXlq3c4T0bQ3Yk2Pp9mVwZ8rS1uE5fJ6hG4aD2c=';

  it('uses the development default only in development', () => {
    expect(readSecret({ NODE_ENV: 'development' }, 'S', DEV)).toBe(DEV);
    expect(readSecret({ S: REAL }, 'S', DEV)).toBe(REAL);
    expect(failure(() => readSecret({}, 'S', DEV)).variable).toBe('S');
  });

  it.each([
    ['its own development default', DEV],
    ["another app's development default", 'dev-secret-payments-service-change-me'],
    ['a development cookie key', 'dev-only-cookie-key-0123456789-abcdefghijklmnop'],
    ['a development key in base64', Buffer.from('dev-only-gateway-cookie-key-32b!').toString('base64')],
    ['an edited placeholder', 'please-CHANGE-ME-before-going-live-0123456789'],
  ])('refuses %s in production, naming the setting without echoing it', (_what, value) => {
    for (const env of [{ S: value }, { NODE_ENV: 'production', S: value }]) {
      const error = failure(() => readSecret(env, 'S', DEV));
      expect(error.message).toBe(
        'Invalid configuration: S is a development default, refused in production mode (set a random secret, e.g. openssl rand -base64 32)',
      );
      expect(error.message).not.toContain(value);
    }
  });

  it('refuses a short secret in production', () => {
    expect(failure(() => readSecret({ S: 'short-but-real' }, 'S', DEV)).message).toBe(
      'Invalid configuration: S must be at least 32 characters in production mode',
    );
  });

  it('does not mistake random secrets for development ones', () => {
    for (let i = 0; i < 200; i++) {
      const value = randomBytes(32).toString(i % 2 ? 'base64' : 'hex');
      expect(looksLikeDevelopmentSecret(value)).toBe(false);
    }
  });
});

describe('readInteger', () => {
  it('takes the fallback when unset and a whole number within the bounds otherwise', () => {
    expect(readInteger({}, 'N', 250, 10, 60_000)).toBe(250);
    expect(readInteger({ N: ' 10 ' }, 'N', 250, 10, 60_000)).toBe(10);
    expect(readInteger({ N: '60000' }, 'N', 250, 10, 60_000)).toBe(60_000);
  });

  it.each(['9', '60001', '1.5', '-1', '1e3', 'abc'])('refuses %j naming the bounds', (value) => {
    expect(failure(() => readInteger({ N: value }, 'N', 250, 10, 60_000)).message).toBe(
      `Invalid configuration: N must be an integer from 10 to 60000 (got "${value}")`,
    );
  });

  it('names the unit when given one', () => {
    expect(failure(() => readInteger({ N: '5' }, 'N', 250, 10, 60_000, 'milliseconds')).message).toBe(
      'Invalid configuration: N must be a whole number of milliseconds from 10 to 60000 (got "5")',
    );
  });
});

describe('readBoolean', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['false', false],
    [' False ', false],
    ['0', false],
  ])('reads %j as %s', (value, expected) => {
    expect(readBoolean({ B: value }, 'B', !expected)).toBe(expected);
  });

  it('takes the fallback when unset and refuses anything else', () => {
    expect(readBoolean({}, 'B', true)).toBe(true);
    expect(failure(() => readBoolean({ B: 'yes' }, 'B', false)).message).toBe(
      'Invalid configuration: B must be true or false (got "yes")',
    );
  });
});

describe('readKey', () => {
  const DEV = Buffer.from('dev-only-gateway-cookie-key-32b!').toString('base64');
  const REAL = Buffer.alloc(32, 7).toString('base64');

  it('decodes a base64 key of the exact size; the development key only in development', () => {
    expect(readKey({ K: REAL }, 'K', 32, DEV)).toEqual(Buffer.alloc(32, 7));
    expect(readKey({ NODE_ENV: 'development' }, 'K', 32, DEV).toString()).toBe('dev-only-gateway-cookie-key-32b!');
  });

  it('refuses the development key in production without echoing it', () => {
    const error = failure(() => readKey({ K: DEV }, 'K', 32, DEV));
    expect(error.message).toContain('K is a development default');
    expect(error.message).not.toContain(DEV);
  });

  it.each([
    ['too short', Buffer.alloc(16, 7).toString('base64')],
    ['not base64', '!'.repeat(44)],
  ])('refuses a key %s, naming the size', (_what, value) => {
    expect(failure(() => readKey({ K: value }, 'K', 32, DEV)).message).toBe(
      'Invalid configuration: K must be 32 random bytes in base64 (e.g. openssl rand -base64 32)',
    );
  });
});
