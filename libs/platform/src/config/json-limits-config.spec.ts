import { DEFAULT_JSON_SHAPE_LIMITS } from '@zt/security';
import { ConfigValidationError } from './config-validation.error';
import { readJsonShapeLimits } from './json-limits-config';
import { createTlsTestPki, TlsTestPki } from '../testing/tls-test-pki';
import { loadPlatformConfig } from './platform-config';

describe('JSON shape limits settings (JSON_MAX_*)', () => {
  // Production requires TLS files: real ones, so the check reaches the limits.
  let pki: TlsTestPki;
  beforeAll(async () => (pki = await createTlsTestPki(['users'])));
  afterAll(() => pki.remove());

  it('has defaults in every mode, production included', () => {
    expect(readJsonShapeLimits({})).toEqual({
      maxDepth: 32,
      maxObjectKeys: 1000,
      maxTotalKeys: 10_000,
      maxArrayItems: 1000,
      maxStringLength: 65_536,
    });
    expect(readJsonShapeLimits({})).toEqual(DEFAULT_JSON_SHAPE_LIMITS);
    const production = loadPlatformConfig({ PORT: '3001', ...pki.env('users') }, { name: 'users', defaultPort: 3001 });
    expect(production.jsonLimits).toEqual(DEFAULT_JSON_SHAPE_LIMITS);
  });

  it('reads each setting', () => {
    const env = {
      JSON_MAX_DEPTH: '8',
      JSON_MAX_OBJECT_KEYS: '50',
      JSON_MAX_TOTAL_KEYS: '500',
      JSON_MAX_ARRAY_ITEMS: '20',
      JSON_MAX_STRING_LENGTH: '4096',
    };
    expect(readJsonShapeLimits(env)).toEqual({
      maxDepth: 8,
      maxObjectKeys: 50,
      maxTotalKeys: 500,
      maxArrayItems: 20,
      maxStringLength: 4096,
    });
  });

  it.each([
    ['JSON_MAX_DEPTH', '0', 'must be an integer from 1 to 256 (got "0")'],
    ['JSON_MAX_DEPTH', '3000', 'must be an integer from 1 to 256 (got "3000")'],
    ['JSON_MAX_OBJECT_KEYS', 'many', 'must be an integer from 1 to 100000 (got "many")'],
    ['JSON_MAX_TOTAL_KEYS', '-1', 'must be an integer from 1 to 1000000 (got "-1")'],
    ['JSON_MAX_ARRAY_ITEMS', '1.5', 'must be an integer from 1 to 1000000 (got "1.5")'],
    ['JSON_MAX_STRING_LENGTH', '0', 'must be an integer from 1 to 16777216 (got "0")'],
  ])('stops start-up on %s=%s, naming the setting', (name, value, problem) => {
    let error: unknown;
    try {
      readJsonShapeLimits({ [name]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).message).toBe(`Invalid configuration: ${name} ${problem}`);
  });
});
