import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadPlatformConfig } from '@zt/platform';
import { parse } from 'yaml';

/**
 * Docker cannot run on the development and CI machines: `npm run demo:compose -- --smoke` runs
 * docker-compose.yml without it, and this spec reads it: every app of the workspace is there,
 * configured by the contract's variables (accepted by the apps' own validation in production
 * mode), started only after what it depends on is healthy, with no port clash, the issuer being
 * where browsers reach the published authorization server while services use internal URLs.
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
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  environment?: Record<string, string | number>;
  ports?: string[];
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
  return `http://${host === '127.0.0.1' ? 'localhost' : host}:${port}`;
};
const internalUrl = (name: string) => `http://${name}:${platform.apps.find((a) => a.name === name)!.port}`;

const workspaceApps = readdirSync(path.join(root, 'apps')).filter((d) =>
  existsSync(path.join(root, 'apps', d, 'project.json')),
);
const envOf = (name: string) =>
  Object.fromEntries(Object.entries(serviceOf(name).environment ?? {}).map(([k, v]) => [k, String(v)]));

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
      expect(() => loadPlatformConfig({ ...env(), NODE_ENV: 'production' }, spec)).not.toThrow();
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

    it('chooses development mode explicitly (plain HTTP inside the network is accepted in development mode only)', () => {
      expect(env().NODE_ENV).toBe('development');
    });

    it('waits for the health of everything it depends on', () => {
      const deps = service().depends_on ?? {};
      const needed = [app.database && 'postgres', app.kafka && 'kafka', app.audience && 'authorization-server'].filter(
        Boolean,
      );
      expect(Object.keys(deps)).toEqual(expect.arrayContaining(needed as string[]));
      for (const [name, dep] of Object.entries(deps)) {
        expect(dep.condition).toBe('service_healthy');
        expect(services[name]?.healthcheck?.test?.length).toBeGreaterThan(0);
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
      expect(env[`ACCOUNTS_API_URL_${region.toUpperCase()}`]).toMatch(/^http:\/\/accounts:/);
    for (const name of ['USERS_API_URL', 'PAYMENTS_API_URL', 'GATEWAY_AUTHORIZATION_SERVER_URL'])
      expect(env[name]).toBeTruthy();
  });

  it('sends browsers back to the gateway where it is published, and accepts only that origin', () => {
    const gateway = `http://127.0.0.1:${firstPort('gateway').split(':')[1]}`;
    expect(envOf('gateway').GATEWAY_BFF_REDIRECT_URI).toBe(`${gateway}/auth/callback`);
    expect(envOf('authorization-server').OAUTH_GATEWAY_BFF_REDIRECT_URIS).toBe(`${gateway}/auth/callback`);
    expect(setting(envOf('gateway'), 'GATEWAY_ALLOWED_ORIGINS').split(',')).toContain(gateway);
  });

  it('publishes no infrastructure on the host (a local PostgreSQL, Kafka or Redis keeps its port)', () => {
    for (const name of ['postgres', 'kafka', 'redis']) expect([name, serviceOf(name).ports]).toEqual([name, undefined]);
  });

  it('gives every service a healthcheck', () => {
    for (const [name, service] of Object.entries(services))
      expect([name, Boolean(service.healthcheck?.test)]).toEqual([name, true]);
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
