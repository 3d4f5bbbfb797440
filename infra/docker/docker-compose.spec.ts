import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadPlatformConfig } from '@zt/platform';
import { parse } from 'yaml';
import { ensurePlatformPki } from '@zt/dev-pki';

/**
 * Docker cannot run on the development and CI machines: `npm run demo:compose -- --smoke` runs
 * docker-compose.yml without it, and this spec reads it: every app of the workspace is there,
 * configured by the contract's variables (accepted by the apps' own validation in production
 * mode), started only after what it depends on is healthy, with no port clash, the issuer being
 * where browsers reach the published authorization server while services use internal URLs.
 * Zero trust on the wire: every app has its own workload certificate from the `certs` job's volume
 * and speaks HTTPS to every other, Kafka has no plaintext listener and authorizes by ACL, and
 * PostgreSQL takes TLS with a client certificate only, one role and database per service.
 */
const root = path.resolve(__dirname, '../..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
const platform: { apps: PlatformApp[] } = JSON.parse(readFileSync(path.join(root, 'infra/platform.json'), 'utf8'));
const services: Record<string, ComposeService> = compose.services;

interface PlatformApp {
  name: string;
  port: number;
  database: string | null;
  kafka: boolean;
  audience: string | null;
  calls?: string[];
}
interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string>; target?: string };
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  volumes?: string[];
  restart?: string;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

/** A service of docker-compose.yml; a missing one fails naming it. */
const serviceOf = (name: string): ComposeService => {
  const service = services[name];
  if (service === undefined) throw new Error(`docker-compose.yml has no service ${name}`);
  return service;
};
/** A setting a service must have; a missing one fails naming it. */
const setting = (env: Record<string, string>, name: string): string => {
  const value = env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
/** The first host port mapping of a published service (`host:port:containerPort`). */
const firstPort = (name: string): string => {
  const [mapping] = serviceOf(name).ports ?? [];
  if (mapping === undefined) throw new Error(`${name} publishes no port`);
  return mapping;
};

/** Only these are published on the host: the single entry point of the APIs, and where browsers sign in. */
const PUBLISHED = ['gateway', 'authorization-server'];
/** Where a user on the host reaches a service: its published address. */
const publishedUrl = (name: string) => {
  const [host, port] = firstPort(name).split(':');
  return `https://${host === '127.0.0.1' ? 'localhost' : host}:${port}`;
};
const internalUrl = (name: string) => `https://${name}:${platform.apps.find((a) => a.name === name)!.port}`;

/** The one-shot operator jobs (restart: 'no', run to completion before what depends on them). */
const JOBS = Object.keys(services).filter((name) => services[name]?.restart === 'no');
/** Where the `certs` job writes the platform PKI, and every service reads it. */
const PKI_MOUNT = '/pki';
const pkiVolume = () => {
  const mount = (serviceOf('certs').volumes ?? []).find((v) => v.split(':')[1] === PKI_MOUNT);
  if (mount === undefined) throw new Error(`the certs job mounts nothing at ${PKI_MOUNT}`);
  return mount.split(':')[0];
};

const workspaceApps = readdirSync(path.join(root, 'apps')).filter((d) =>
  existsSync(path.join(root, 'apps', d, 'project.json')),
);
const envOf = (name: string) =>
  Object.fromEntries(Object.entries(serviceOf(name).environment ?? {}).map(([k, v]) => [k, String(v)]));

/** A container path under the PKI mount, as the runner (or Docker) would see it: a folder of test certificates. */
let pkiDir = '';
const onHost = (env: Record<string, string>) =>
  Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace(/^\/pki(?=\/)/, pkiDir)]));

beforeAll(async () => {
  pkiDir = mkdtempSync(path.join(tmpdir(), 'zt-compose-spec-pki-'));
  await ensurePlatformPki(pkiDir);
});
afterAll(() => rmSync(pkiDir, { recursive: true, force: true }));

describe('docker-compose.yml', () => {
  it('lists exactly the apps of the workspace and of infra/platform.json', () => {
    expect(platform.apps.map((a) => a.name).sort()).toEqual([...workspaceApps].sort());
    for (const app of workspaceApps) expect(Object.keys(services)).toContain(app);
  });

  it('runs real PostgreSQL and the same Kafka version as infra/kafka', () => {
    expect(serviceOf('postgres').image).toMatch(/^postgres:\d+/);
    const kafkaVersion = /KAFKA_VERSION:-([\d.]+)/.exec(
      readFileSync(path.join(root, 'infra/kafka/kafka.sh'), 'utf8'),
    )![1];
    expect(serviceOf('kafka').image).toBe(`apache/kafka:${kafkaVersion}`);
    expect(envOf('kafka').KAFKA_PROCESS_ROLES).toBe('broker,controller');
  });

  describe.each(platform.apps)('$name', (app) => {
    const service = () => serviceOf(app.name);
    const env = () => envOf(app.name);

    it('is built from the shared Dockerfile for this app', () => {
      expect(service().build?.args?.APP).toBe(app.name);
      expect(existsSync(path.join(root, service().build!.context, service().build!.dockerfile))).toBe(true);
    });

    it('sets the configuration contract, accepted by the app in production mode', () => {
      expect(env()).toMatchObject({ PORT: String(app.port), HOST: '0.0.0.0' });
      for (const name of ['OAUTH_ISSUER', 'OAUTH_JWKS_URI', 'OAUTH_ALGORITHMS']) expect(env()[name]).toBeTruthy();
      if (app.audience) expect(env().OAUTH_AUDIENCE).toBe(app.audience);
      const spec = { name: app.name, defaultPort: app.port, database: Boolean(app.database), kafka: app.kafka };
      expect(() => loadPlatformConfig({ ...onHost(env()), NODE_ENV: 'production' }, spec)).not.toThrow();
    });

    it('points at its own database and at Kafka only when it uses them', () => {
      if (app.database) {
        const url = new URL(setting(env(), 'DATABASE_URL'));
        expect(url.pathname).toBe(`/${app.database}`);
        expect(Object.keys(services)).toContain(url.hostname);
      } else {
        expect(env().DATABASE_URL).toBeUndefined();
      }
      if (app.kafka)
        expect(
          setting(env(), 'KAFKA_BROKERS')
            .split(',')
            .map((b) => b.split(':')[0]),
        ).toEqual(['kafka']);
      else expect(env().KAFKA_BROKERS).toBeUndefined();
    });

    it('forwards tokens only to the internal APIs it calls, each a service of the stack', () => {
      const internal = (env().INTERNAL_SERVICE_URLS ?? '').split(',').filter(Boolean);
      expect(internal).toHaveLength((app.calls ?? []).length);
      for (const name of app.calls ?? []) {
        const url = new URL(setting(env(), `${name.toUpperCase()}_API_URL`));
        expect([url.hostname, url.port]).toEqual([name, String(platform.apps.find((a) => a.name === name)!.port)]);
        expect(internal).toContain(url.origin);
        expect(service().depends_on?.[name]?.condition).toBe('service_healthy');
      }
    });

    it('is published on loopback only, and only when a user on the host needs it (the gateway, the sign-in pages)', () => {
      if (PUBLISHED.includes(app.name)) expect(service().ports).toEqual([`127.0.0.1:${app.port}:${app.port}`]);
      else expect(service().ports).toBeUndefined();
    });

    it('reaches the authorization server inside the network by explicit URLs, never by the issuer browsers see', () => {
      expect(env().OAUTH_ISSUER).toBe(publishedUrl('authorization-server'));
      expect(new URL(setting(env(), 'OAUTH_JWKS_URI')).origin).toBe(internalUrl('authorization-server'));
      expect(new URL(setting(env(), 'OAUTH_TOKEN_ENDPOINT')).origin).toBe(internalUrl('authorization-server'));
      if (app.name === 'gateway')
        expect(env().GATEWAY_AUTHORIZATION_SERVER_URL).toBe(internalUrl('authorization-server'));
    });

    it('chooses development mode explicitly (demo keys and seeded users; TLS is on all the same)', () => {
      expect(env().NODE_ENV).toBe('development');
    });

    it('waits for the health of everything it depends on, and for the one-shot jobs to complete', () => {
      const deps = service().depends_on ?? {};
      const needed = [
        'certs',
        app.database && 'postgres',
        app.kafka && 'kafka',
        app.kafka && 'kafka-acls',
        app.audience && 'authorization-server',
      ].filter(Boolean);
      expect(Object.keys(deps)).toEqual(expect.arrayContaining(needed as string[]));
      for (const [name, dep] of Object.entries(deps)) {
        if (JOBS.includes(name)) {
          expect([name, dep.condition]).toEqual([name, 'service_completed_successfully']);
        } else {
          expect([name, dep.condition]).toEqual([name, 'service_healthy']);
          expect(services[name]?.healthcheck?.test?.length).toBeGreaterThan(0);
        }
      }
    });
  });

  it('points every upstream URL of every app at a service of the stack, on its port', () => {
    const ports: Record<string, number> = Object.fromEntries(platform.apps.map((a) => [a.name, a.port]));
    for (const app of platform.apps) {
      for (const [name, value] of Object.entries(envOf(app.name))) {
        if (!/_URL(_[A-Z]+)?$/.test(name) || name === 'DATABASE_URL' || name === 'OAUTH_JWKS_URI') continue;
        const url = new URL(value);
        expect([app.name, name, Object.keys(services).includes(url.hostname)]).toEqual([app.name, name, true]);
        if (ports[url.hostname])
          expect([app.name, name, url.port]).toEqual([app.name, name, String(ports[url.hostname])]);
      }
    }
  });

  it('gives the gateway an upstream for every region it routes', () => {
    const env = envOf('gateway');
    for (const region of setting(env, 'GATEWAY_REGIONS').split(','))
      expect(env[`ACCOUNTS_API_URL_${region.toUpperCase()}`]).toMatch(/^https:\/\/accounts:/);
    for (const name of ['USERS_API_URL', 'PAYMENTS_API_URL', 'GATEWAY_AUTHORIZATION_SERVER_URL'])
      expect(env[name]).toBeTruthy();
  });

  it('sends browsers back to the gateway where it is published, and accepts only that origin', () => {
    const gateway = `https://127.0.0.1:${firstPort('gateway').split(':')[1]}`;
    expect(envOf('gateway').GATEWAY_BFF_REDIRECT_URI).toBe(`${gateway}/auth/callback`);
    expect(envOf('authorization-server').OAUTH_GATEWAY_BFF_REDIRECT_URIS).toBe(`${gateway}/auth/callback`);
    expect(setting(envOf('gateway'), 'GATEWAY_ALLOWED_ORIGINS').split(',')).toContain(gateway);
  });

  it('publishes no infrastructure on the host (a local PostgreSQL, Kafka or Redis keeps its port)', () => {
    for (const name of ['postgres', 'kafka', 'redis']) expect([name, serviceOf(name).ports]).toEqual([name, undefined]);
  });

  it('gives every service a healthcheck (the one-shot jobs have their exit code instead)', () => {
    expect(JOBS).toContain('certs');
    for (const [name, service] of Object.entries(services))
      if (!JOBS.includes(name)) expect([name, Boolean(service.healthcheck?.test)]).toEqual([name, true]);
  });

  it('has no host port clash', () => {
    const hostPorts = Object.values(services).flatMap((s) =>
      (s.ports ?? []).map((p) => p.split(':').slice(0, -1).join(':')),
    );
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
  });

  it('has no dependency cycle', () => {
    const visiting = new Set<string>();
    const visit = (name: string, trail: string[]) => {
      if (trail.includes(name)) throw new Error(`cycle: ${[...trail, name].join(' -> ')}`);
      if (visiting.has(name)) return;
      Object.keys(serviceOf(name).depends_on ?? {}).forEach((d) => visit(d, [...trail, name]));
      visiting.add(name);
    };
    expect(() => Object.keys(services).forEach((s) => visit(s, []))).not.toThrow();
  });
});

describe('docker-compose.yml: zero trust on the wire', () => {
  const dockerfile = readFileSync(path.join(root, 'infra/docker/Dockerfile'), 'utf8');
  /** Every setting of a service whose value is a URL (scheme://...). */
  const urlSettings = (name: string) => Object.entries(envOf(name)).filter(([, value]) => /^[a-z+]+:\/\//.test(value));
  const kafkaProperty = (name: string) => setting(envOf('kafka'), name);
  const postgresSettings = () => {
    const command = serviceOf('postgres').command ?? [];
    return Object.fromEntries(
      command.flatMap((arg, i) =>
        command[i - 1] === '-c' ? [arg.split(/=(.*)/s).slice(0, 2) as [string, string]] : [],
      ),
    );
  };
  const initScripts = () => {
    const mount = (serviceOf('postgres').volumes ?? []).find((v) => v.split(':')[1] === '/docker-entrypoint-initdb.d');
    if (mount === undefined) throw new Error('postgres mounts no /docker-entrypoint-initdb.d');
    const [source = ''] = mount.split(':');
    const dir = path.join(root, source);
    return readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8'));
  };

  it('writes the platform PKI once, in a one-shot job of the tools stage, into a volume', () => {
    const certs = serviceOf('certs');
    expect(certs.restart).toBe('no');
    expect(certs.build?.target).toBe('tools');
    expect(dockerfile).toMatch(/^FROM build AS tools$/m);
    expect(certs.command).toEqual(['node', 'infra/docker/compose-pki.mjs', PKI_MOUNT]);
    expect(existsSync(path.join(root, 'infra/docker/compose-pki.mjs'))).toBe(true);
    expect(certs.volumes).toEqual([`${pkiVolume()}:${PKI_MOUNT}`]);
  });

  it('mounts the PKI read-only in every service that uses it, after the certs job completed', () => {
    for (const name of [...platform.apps.map((a) => a.name), 'postgres', 'kafka']) {
      expect([name, serviceOf(name).volumes]).toEqual([
        name,
        expect.arrayContaining([`${pkiVolume()}:${PKI_MOUNT}:ro`]),
      ]);
      expect([name, serviceOf(name).depends_on?.certs?.condition]).toEqual([name, 'service_completed_successfully']);
    }
  });

  describe.each(platform.apps)('$name', (app) => {
    it('serves and calls with its own workload certificate, trusting the platform CA', () => {
      expect(envOf(app.name)).toMatchObject({
        TLS_CERT_FILE: `${PKI_MOUNT}/${app.name}.crt`,
        TLS_KEY_FILE: `${PKI_MOUNT}/${app.name}.key`,
        TLS_CA_FILE: `${PKI_MOUNT}/ca.crt`,
      });
    });

    it('reaches every HTTP service over https (the issuer, back channels, upstreams, redirect URIs, origins)', () => {
      const http = urlSettings(app.name).filter(([name]) => !['DATABASE_URL', 'REDIS_URL'].includes(name));
      expect(http.length).toBeGreaterThan(0);
      for (const [name, value] of http)
        for (const url of value.split(',')) expect([name, new URL(url).protocol]).toEqual([name, 'https:']);
    });

    it('connects to its own database as its own role, verifying the server (sslmode=verify-full)', () => {
      if (!app.database) return;
      const url = new URL(setting(envOf(app.name), 'DATABASE_URL'));
      expect(url.searchParams.get('sslmode')).toBe('verify-full');
      expect([decodeURIComponent(url.username), url.password]).toEqual([app.name, '']);
    });

    it('is judged healthy by a GET /health over mutual TLS with its own certificate', () => {
      expect(serviceOf(app.name).healthcheck?.test).toEqual(['CMD', 'node', 'healthcheck.mjs']);
      expect(dockerfile).toMatch(/^COPY --from=build \/src\/infra\/docker\/healthcheck\.mjs \.\/healthcheck\.mjs$/m);
    });
  });

  it('runs Kafka with TLS listeners only (no PLAINTEXT listener at all) and client certificates required', () => {
    const protocols = Object.fromEntries(
      kafkaProperty('KAFKA_LISTENER_SECURITY_PROTOCOL_MAP')
        .split(',')
        .map((pair) => pair.split(':') as [string, string]),
    );
    const listeners = [
      ...kafkaProperty('KAFKA_LISTENERS').split(','),
      ...kafkaProperty('KAFKA_ADVERTISED_LISTENERS').split(','),
    ].map((l) => l.split('://')[0] ?? l);
    for (const listener of listeners) expect([listener, protocols[listener]]).toEqual([listener, 'SSL']);
    expect(Object.values(protocols).every((p) => p === 'SSL')).toBe(true);
    expect(kafkaProperty('KAFKA_INTER_BROKER_LISTENER_NAME')).toBe('BROKER');
    expect(kafkaProperty('KAFKA_SSL_CLIENT_AUTH')).toBe('required');
    expect(kafkaProperty('KAFKA_SSL_KEYSTORE_TYPE')).toBe('PEM');
    expect(kafkaProperty('KAFKA_SSL_TRUSTSTORE_LOCATION')).toBe(`${PKI_MOUNT}/ca.crt`);
    expect(kafkaProperty('KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM')).toBe('https');
    expect(kafkaProperty('KAFKA_SSL_ENABLED_PROTOCOLS').split(',').sort()).toEqual(['TLSv1.2', 'TLSv1.3']);
    // The image's entrypoint demands JKS stores with passwords when an advertised listener reads "SSL://".
    expect(kafkaProperty('KAFKA_ADVERTISED_LISTENERS')).not.toContain('SSL://');
    expect(serviceOf('kafka').healthcheck?.test.join(' ')).toContain(
      `--command-config ${PKI_MOUNT}/kafka-client.properties`,
    );
  });

  it('authorizes every Kafka request by ACL, principals mapped from the workload certificates', () => {
    expect(kafkaProperty('KAFKA_AUTHORIZER_CLASS_NAME')).toBe(
      'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    );
    expect(kafkaProperty('KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND')).toBe('false');
    expect(kafkaProperty('KAFKA_SUPER_USERS').split(';').sort()).toEqual(['User:kafka', 'User:platform-admin']);
    const rules = kafkaProperty('KAFKA_SSL_PRINCIPAL_MAPPING_RULES');
    expect(rules).not.toContain('DEFAULT');
    // Compose turns `$$` into `$`: the rule as the broker reads it maps the subject to the workload name.
    const [, pattern = '', replacement = ''] = /^RULE:(.*?)\/(.*?)\//.exec(rules.replace(/\$\$/g, '$')) ?? [];
    expect('CN=payments,OU=workloads,O=bank.example'.replace(new RegExp(pattern), replacement)).toBe('payments');
  });

  it('applies the Kafka ACLs in a one-shot job, as the operator, before any service that uses Kafka starts', () => {
    const job = serviceOf('kafka-acls');
    expect(job.restart).toBe('no');
    expect(job.build?.target).toBe('tools');
    expect(job.command).toEqual(['node', 'infra/docker/compose-kafka-acls.mjs', 'kafka:9092', PKI_MOUNT]);
    expect(job.depends_on).toEqual({
      certs: { condition: 'service_completed_successfully' },
      kafka: { condition: 'service_healthy' },
    });
    for (const app of platform.apps.filter((a) => a.kafka))
      expect([app.name, serviceOf(app.name).depends_on?.['kafka-acls']?.condition]).toEqual([
        app.name,
        'service_completed_successfully',
      ]);
  });

  it('runs PostgreSQL with TLS on, the postgres certificate, and the platform CA for client certificates', () => {
    expect(postgresSettings()).toMatchObject({
      ssl: 'on',
      ssl_cert_file: `${PKI_MOUNT}/postgres.crt`,
      ssl_key_file: `${PKI_MOUNT}/postgres.key`,
      ssl_ca_file: `${PKI_MOUNT}/ca.crt`,
      ssl_min_protocol_version: 'TLSv1.2',
    });
  });

  it('lets into PostgreSQL only TLS with a platform certificate (cert auth): no password, no trust, no plaintext', () => {
    const hba = initScripts()
      .flatMap((script) => /pg_hba\.conf" <<'HBA'\n([\s\S]*?)\nHBA/.exec(script)?.[1]?.split('\n') ?? [])
      .filter((line) => line.trim() && !line.startsWith('#'))
      .map((line) => line.trim().split(/\s+/));
    expect(hba).toEqual([
      ['hostssl', 'all', 'all', 'all', 'cert', 'clientcert=verify-full'],
      ['hostnossl', 'all', 'all', 'all', 'reject'],
      ['local', 'all', 'all', 'reject'],
    ]);
  });

  it('gives each service a role of its own (its certificate CN) owning its database, CONNECT revoked from PUBLIC', () => {
    const script = initScripts().join('\n');
    const owned = [...script.matchAll(/^platform_database (\S+) (\S+)$/gm)].map(([, role, db]) => [role, db]);
    expect(owned.sort()).toEqual(
      platform.apps
        .filter((a) => a.database)
        .map((a) => [a.name, a.database])
        .sort(),
    );
    expect(script).toContain('REVOKE ALL ON DATABASE :"database" FROM PUBLIC;');
    expect(script).toMatch(/CREATE ROLE :"role" LOGIN NOSUPERUSER NOCREATEDB/);
  });
});
