import { configFailure } from '../testing/config-failure';
import { createTlsTestPki, TlsTestPki } from '../testing/tls-test-pki';
import { defaultDatabaseUrl, loadPlatformConfig, ServiceSpec } from './platform-config';

const spec: ServiceSpec = { name: 'payments', defaultPort: 3003, database: true, kafka: true };

const failure = (env: Record<string, string>) => configFailure(() => loadPlatformConfig(env, spec));

let pki: TlsTestPki;
/** TLS_CERT_FILE, TLS_KEY_FILE and TLS_CA_FILE of real files: production requires them. */
let tlsEnv: Record<string, string>;
beforeAll(async () => {
  pki = await createTlsTestPki(['payments']);
  tlsEnv = pki.env('payments');
});
afterAll(() => pki.remove());

describe('loadPlatformConfig', () => {
  it('fills in local defaults in development mode, chosen explicitly', () => {
    const config = loadPlatformConfig({ NODE_ENV: 'development' }, spec);
    expect(config).toMatchObject({
      service: 'payments',
      mode: 'development',
      production: false,
      host: '127.0.0.1',
      port: 3003,
      logLevel: 'info',
    });
    expect(config.databaseUrl).toBe(defaultDatabaseUrl('payments'));
    expect(config.kafkaBrokers).toEqual(['127.0.0.1:9092']);
  });

  it('treats the test runner as development', () => {
    expect(loadPlatformConfig({ NODE_ENV: 'test' }, spec)).toMatchObject({
      mode: 'test',
      production: false,
      port: 3003,
    });
  });

  it('applies production rules when NODE_ENV is unset: no default, and the line says why', () => {
    const error = failure({ DATABASE_URL: 'postgres://h/db?sslmode=verify-full', KAFKA_BROKERS: 'k:9092' });
    expect(error.variable).toBe('PORT');
    expect(error.message).toBe(
      'Invalid configuration: PORT is required in production mode (NODE_ENV is unset, so production rules apply; NODE_ENV=development chooses local defaults)',
    );
    for (const variable of ['DATABASE_URL', 'KAFKA_BROKERS']) {
      const env: Record<string, string> = {
        PORT: '3003',
        DATABASE_URL: 'postgres://h/db?sslmode=verify-full',
        KAFKA_BROKERS: 'k:9092',
      };
      delete env[variable];
      expect(failure(env).variable).toBe(variable);
    }
    const config = loadPlatformConfig(
      { PORT: '3003', DATABASE_URL: 'postgres://h/db?sslmode=verify-full', KAFKA_BROKERS: 'k:9092', ...tlsEnv },
      spec,
    );
    expect(config).toMatchObject({ mode: 'production', production: true });
  });

  it('gives each service its own default database', () => {
    expect(defaultDatabaseUrl('authorization-server')).toMatch(/\/zt_authorization_server$/);
  });

  it('reads every contract value it is given', () => {
    const config = loadPlatformConfig(
      {
        PORT: '9000',
        HOST: '0.0.0.0',
        DATABASE_URL: 'postgresql://u:p@db:5432/bank?sslmode=verify-full',
        KAFKA_BROKERS: 'k1:9092, k2:9093',
        LOG_LEVEL: 'warn',
        ...tlsEnv,
      },
      spec,
    );
    expect(config).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      logLevel: 'warn',
      kafkaBrokers: ['k1:9092', 'k2:9093'],
      tls: { certFile: tlsEnv.TLS_CERT_FILE, keyFile: tlsEnv.TLS_KEY_FILE, caFile: tlsEnv.TLS_CA_FILE },
    });
    expect(config.databaseUrl).toBe('postgresql://u:p@db:5432/bank?sslmode=verify-full');
  });

  it('leaves out what the service does not use', () => {
    const config = loadPlatformConfig(
      { NODE_ENV: 'development', DATABASE_URL: 'not a url', KAFKA_BROKERS: '' },
      { name: 'gateway', defaultPort: 8080 },
    );
    expect(config.databaseUrl).toBeUndefined();
    expect(config.kafkaBrokers).toBeUndefined();
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', 'must be a port number'],
    [{ PORT: '70000' }, 'PORT', 'must be a port number'],
    [{ PORT: '0' }, 'PORT', 'must be a port number'],
    [{ DATABASE_URL: 'nonsense' }, 'DATABASE_URL', 'must be an absolute URL'],
    [{ DATABASE_URL: 'mysql://h/db' }, 'DATABASE_URL', 'must use postgres:'],
    [{ DATABASE_URL: 'postgres://h:5432' }, 'DATABASE_URL', 'must name a database'],
    [{ KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS', 'must be a comma-separated list of host:port'],
    [{ KAFKA_BROKERS: 'a:1,b:99999' }, 'KAFKA_BROKERS', 'must be a comma-separated list of host:port'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', 'must be one of'],
    [{ NODE_ENV: 'prod' }, 'NODE_ENV', 'must be production, development or test (got "prod"; unset means production)'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV', 'must be production, development or test'],
    [{ NODE_ENV: 'Development' }, 'NODE_ENV', 'must be production, development or test'],
  ])('refuses %j naming %s', (env, variable, problem) => {
    const error = failure({ NODE_ENV: 'development', ...env } as Record<string, string>);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(`Invalid configuration: ${variable} ${problem}`);
    expect(error.message).not.toContain('\n');
  });

  it('never echoes a database password', () => {
    const error = failure({ NODE_ENV: 'development', DATABASE_URL: 'mysql://user:s3cret@h/db' });
    expect(error.message).not.toContain('s3cret');
  });

  it.each(['PORT', 'DATABASE_URL', 'KAFKA_BROKERS', 'TLS_CERT_FILE'])(
    'requires %s in production mode instead of a development default',
    (variable) => {
      const env: Record<string, string> = {
        NODE_ENV: 'production',
        PORT: '3003',
        DATABASE_URL: 'postgres://h/db?sslmode=verify-full',
        KAFKA_BROKERS: 'k:9092',
        ...tlsEnv,
      };
      // Without any of the three TLS files, the error names the first one.
      if (variable === 'TLS_CERT_FILE') for (const name of Object.keys(tlsEnv)) delete env[name];
      delete env[variable];
      const error = failure(env);
      expect(error.variable).toBe(variable);
      expect(error.message).toContain('required in production mode');
    },
  );
});

describe('TLS settings in loadPlatformConfig', () => {
  const dev = { NODE_ENV: 'development' };

  it('stops a production start without TLS files, naming TLS_CERT_FILE', () => {
    const error = failure({
      NODE_ENV: 'production',
      PORT: '3003',
      DATABASE_URL: 'postgres://h/db?sslmode=verify-full',
      KAFKA_BROKERS: 'k:9092',
    });
    expect(error.variable).toBe('TLS_CERT_FILE');
    expect(error.message).toBe('Invalid configuration: TLS_CERT_FILE is required in production mode');
  });

  it('lets development run without TLS on loopback only', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) {
      expect(loadPlatformConfig({ ...dev, HOST: host }, spec).tls).toBeUndefined();
    }
  });

  it.each(['0.0.0.0', '::', '192.168.1.20', 'payments'])(
    'refuses plain HTTP on a non-loopback HOST (%s) in development, naming HOST',
    (host) => {
      const error = failure({ ...dev, HOST: host });
      expect(error.variable).toBe('HOST');
      expect(error.message).toContain('must be a loopback address');
      expect(loadPlatformConfig({ ...dev, HOST: host, ...tlsEnv }, spec).tls).toBeDefined();
    },
  );

  it('wants all three files or none, each readable', () => {
    const { TLS_KEY_FILE: _key, ...withoutKey } = tlsEnv;
    expect(failure({ ...dev, ...withoutKey }).variable).toBe('TLS_KEY_FILE');
    expect(failure({ ...dev, ...tlsEnv, TLS_CA_FILE: `${pki.dir}/missing.crt` }).variable).toBe('TLS_CA_FILE');
  });
});
