import { ConfigValidationError } from '../config/config-validation.error';
import { databaseSslMode } from './database-url-tls';

const url = (query = '') => `postgres://payments@db.internal:5432/zt_payments${query}`;

describe('databaseSslMode', () => {
  it('accepts sslmode=verify-full in production', () => {
    expect(databaseSslMode(url('?sslmode=verify-full'), true)).toBe('verify-full');
  });

  it.each(['', '?sslmode=disable', '?sslmode=require', '?sslmode=verify-ca', '?sslmode=prefer'])(
    'refuses DATABASE_URL%s in production, naming the variable and not echoing the URL',
    (query) => {
      const attempt = () => databaseSslMode(`postgres://payments:s3cret@db.internal:5432/zt_payments${query}`, true);
      expect(attempt).toThrow(ConfigValidationError);
      expect(attempt).toThrow(/^Invalid configuration: DATABASE_URL must set sslmode=verify-full in production/);
      expect(attempt).not.toThrow(/s3cret/);
    },
  );

  it('serves every libpq mode that asks for TLS with full verification in development', () => {
    for (const mode of ['allow', 'prefer', 'require', 'verify-ca', 'verify-full'])
      expect(databaseSslMode(url(`?sslmode=${mode}`), false)).toBe('verify-full');
  });

  it('is plaintext in development without sslmode or with sslmode=disable', () => {
    expect(databaseSslMode(url(), false)).toBe('disable');
    expect(databaseSslMode(url('?sslmode=disable'), false)).toBe('disable');
  });

  it('refuses no-verify and unknown modes in every mode', () => {
    expect(() => databaseSslMode(url('?sslmode=no-verify'), false)).toThrow(/DATABASE_URL sslmode=no-verify/);
    expect(() => databaseSslMode(url('?sslmode=sometimes'), false)).toThrow(/DATABASE_URL has an unknown sslmode/);
  });
});
