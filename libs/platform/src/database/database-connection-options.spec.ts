import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { databaseConnectionOptions } from './database-connection-options';

describe('databaseConnectionOptions', () => {
  let dir: string;
  const file = (name: string, text = `${name} pem`) => {
    const full = path.join(dir, name);
    writeFileSync(full, text);
    return full;
  };

  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'zt-db-options-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes host, port, user, password and database from the URL, never the URL itself', () => {
    const options = databaseConnectionOptions('postgres://app%40x:p%2Fw@[::1]:6543/zt_users', { production: false });
    expect(options).toEqual({
      host: '::1',
      port: 6543,
      user: 'app@x',
      password: 'p/w',
      database: 'zt_users',
      ssl: false,
    });
  });

  it("uses the app's TLS files when the URL names none: workload certificate, platform CA, full checks", () => {
    const tls = { certFile: file('app.crt'), keyFile: file('app.key'), caFile: file('ca.crt') };
    const { ssl } = databaseConnectionOptions('postgres://payments@127.0.0.1/zt_payments?sslmode=verify-full', {
      tls,
      production: true,
    });
    expect(ssl).toMatchObject({ rejectUnauthorized: true, minVersion: 'TLSv1.2' });
    expect(ssl && [ssl.ca, ssl.cert, ssl.key]).toEqual(['ca.crt pem', 'app.crt pem', 'app.key pem']);
  });

  it('honours sslrootcert, sslcert and sslkey in the URL over the TLS files', () => {
    const tls = { certFile: file('app.crt'), keyFile: file('app.key'), caFile: file('ca.crt') };
    const query = `sslmode=verify-full&sslrootcert=${file('root.crt')}&sslcert=${file('admin.crt')}&sslkey=${file('admin.key')}`;
    const { ssl } = databaseConnectionOptions(`postgres://platform-admin@127.0.0.1/postgres?${query}`, {
      tls,
      production: false,
    });
    expect(ssl && [ssl.ca, ssl.cert, ssl.key]).toEqual(['root.crt pem', 'admin.crt pem', 'admin.key pem']);
  });

  it('trusts the system CAs for sslrootcert=system', () => {
    const tls = { certFile: file('app.crt'), keyFile: file('app.key'), caFile: file('ca.crt') };
    const { ssl } = databaseConnectionOptions('postgres://u@db.example/d?sslmode=verify-full&sslrootcert=system', {
      tls,
      production: true,
    });
    expect(ssl && 'ca' in ssl).toBe(false);
  });

  it('refuses sslcert without sslkey', () => {
    expect(() =>
      databaseConnectionOptions(`postgres://u@h/d?sslmode=verify-full&sslcert=${file('a.crt')}`, { production: false }),
    ).toThrow(/DATABASE_URL must give sslcert and sslkey together/);
  });
});
