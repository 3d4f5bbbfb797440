import { configFailure } from '../testing/config-failure';
import { defaultDatabaseUrl, loadPlatformConfig, ServiceSpec } from './platform-config';

const spec: ServiceSpec = { name: 'payments', defaultPort: 3003, database: true, kafka: true };

const failure = (env: Record<string, string>) => configFailure(() => loadPlatformConfig(env, spec));

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
    const error = failure({ DATABASE_URL: 'postgres://h/db', KAFKA_BROKERS: 'k:9092' });
    expect(error.variable).toBe('PORT');
    expect(error.message).toBe(
      'Invalid configuration: PORT is required in production mode (NODE_ENV is unset, so production rules apply; NODE_ENV=development chooses local defaults)',
    );
    for (const variable of ['DATABASE_URL', 'KAFKA_BROKERS']) {
      const env: Record<string, string> = { PORT: '3003', DATABASE_URL: 'postgres://h/db', KAFKA_BROKERS: 'k:9092' };
      delete env[variable];
      expect(failure(env).variable).toBe(variable);
    }
    const config = loadPlatformConfig({ PORT: '3003', DATABASE_URL: 'postgres://h/db', KAFKA_BROKERS: 'k:9092' }, spec);
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
        DATABASE_URL: 'postgresql://u:p@db:5432/bank',
        KAFKA_BROKERS: 'k1:9092, k2:9093',
        LOG_LEVEL: 'warn',
      },
      spec,
    );
    expect(config).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      logLevel: 'warn',
      kafkaBrokers: ['k1:9092', 'k2:9093'],
    });
    expect(config.databaseUrl).toBe('postgresql://u:p@db:5432/bank');
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

  it.each(['PORT', 'DATABASE_URL', 'KAFKA_BROKERS'])(
    'requires %s in production mode instead of a development default',
    (variable) => {
      const env: Record<string, string> = {
        NODE_ENV: 'production',
        PORT: '3003',
        DATABASE_URL: 'postgres://h/db',
        KAFKA_BROKERS: 'k:9092',
      };
      delete env[variable];
      const error = failure(env);
      expect(error.variable).toBe(variable);
      expect(error.message).toContain('required in production mode');
    },
  );
});
