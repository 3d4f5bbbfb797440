// Stands in for the `apache/kafka` image: the broker jars infra/kafka/kafka.sh fetches (the
// image's version), configured the way the image's entrypoint does it: every KAFKA_* variable
// of the service becomes a server property (KAFKA_LISTENERS -> listeners, `__` -> `_`,
// `___` -> `-`), container paths of the service's volumes rewritten to their host folders. The
// JVM cannot load the runner's Node preload, so it gets the compose names another way: a hosts
// file (`-Djdk.net.hosts.file`, JDK 9+) mapping every service to its address and `localhost` and
// the machine's name to the broker's own, as the container's DNS would; so the controller is
// reached as `kafka:9093` and TLS checks the name its certificate carries. Only a listen on every
// interface gets the service's own address (the container's only interface).
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../workspace.mjs';
import { hostPathOf, toHostPaths } from '../mounts.mjs';
import { ServiceProcess } from '../service-process.mjs';

/** Variables the image reads for the JVM, not server properties. */
const NOT_PROPERTIES = new Set([
  'KAFKA_VERSION',
  'KAFKA_HEAP_OPTS',
  'KAFKA_OPTS',
  'KAFKA_LOG4J_OPTS',
  'KAFKA_JMX_OPTS',
  'KAFKA_JVM_PERFORMANCE_OPTS',
  'KAFKA_GC_LOG_OPTS',
  'KAFKA_LOG4J_ROOT_LOGLEVEL',
  'KAFKA_LOG4J_LOGGERS',
  'KAFKA_TOOLS_LOG4J_LOGLEVEL',
  'KAFKA_JMX_HOSTNAME',
  'KAFKA_JMX_PORT',
]);

export function propertiesFromEnv(env) {
  const props = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('KAFKA_') || NOT_PROPERTIES.has(name)) continue;
    props[
      name.slice(6).toLowerCase().replace(/___/g, '-').replace(/__/g, '\0').replace(/_/g, '.').replace(/\0/g, '_')
    ] = value;
  }
  return props;
}

/** `BROKER://:9092` binds every interface of the container: here, its own address. */
function bindAddresses(value, own) {
  return value.replace(/([A-Za-z_]+:\/\/)([^:,/]*)(:\d+)/g, (whole, scheme, host, port) =>
    host === '' || host === '0.0.0.0' ? `${scheme}${own}${port}` : whole,
  );
}

/** The JVM's view of the compose network (jdk.net.hosts.file): names -> addresses, nothing else. */
function writeHostsFile(file, ctx, service) {
  const own = ctx.addressOf(service.name);
  const lines = [`${own} localhost ${os.hostname()} ${service.name}`];
  for (const name of ctx.serviceNames) if (name !== service.name) lines.push(`${ctx.addressOf(name)} ${name}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
}

export const kafkaImage = {
  matches: (service) => /^(docker\.io\/)?apache\/kafka(-native)?(:|$)/.test(service.image ?? ''),

  async create(service, ctx) {
    const version = /:(\d+\.\d+\.\d+)$/.exec(service.image)?.[1];
    if (!version) throw new Error(`kafka: image ${service.image} names no version (apache/kafka:<x.y.z>)`);
    const kafkaHome = path.join(ctx.root, '.tools', `kafka-${version}`);
    const code = await run('bash', [path.join(ctx.root, 'infra/kafka/kafka.sh'), 'fetch'], {
      env: { ...process.env, KAFKA_VERSION: version },
    });
    if (code !== 0)
      throw new Error(`kafka: could not fetch Apache Kafka ${version} (infra/kafka/kafka.sh fetch exited ${code})`);

    const dir = path.join(ctx.stateDir, 'kafka');
    rmSync(dir, { recursive: true, force: true }); // a fresh broker on every run
    mkdirSync(path.join(dir, 'logs'), { recursive: true });
    const own = ctx.addressOf(service.name);
    const props = { 'log.dirs': path.join(dir, 'data') };
    for (const [key, value] of Object.entries(propertiesFromEnv(service.environment)))
      props[key] = toHostPaths(value, ctx.mounts);
    if (props.listeners) props.listeners = bindAddresses(props.listeners, own);
    const hostsFile = path.join(dir, 'hosts');
    writeHostsFile(hostsFile, ctx, service);
    const config = path.join(dir, 'server.properties');
    writeFileSync(
      config,
      `# Written by scripts/lib/compose/images/kafka.mjs from docker-compose.yml's ${service.name} service.\n${Object.entries(
        props,
      )
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')}\n`,
    );

    const log4j = [
      `-Djdk.net.hosts.file=${hostsFile}`,
      `-Dlog4j.configuration=file:${path.join(ctx.root, 'infra/kafka/log4j.properties')}`,
      `-Dkafka.logs.dir=${path.join(dir, 'logs')}`,
    ];
    const classpath = ['-cp', `${path.join(kafkaHome, 'libs')}/*`];
    const clusterId = service.environment.CLUSTER_ID || kafkaUuid();
    ctx.say(`kafka: formatting KRaft storage (cluster id ${clusterId})`);
    const formatted = await run(
      'java',
      ['-Xmx256m', ...classpath, ...log4j, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', config],
      { stdio: 'ignore' },
    );
    if (formatted !== 0)
      throw new Error(
        `kafka: formatting the storage failed (exit ${formatted}); config in ${path.relative(ctx.root, config)}`,
      );

    const heap = (service.environment.KAFKA_HEAP_OPTS || '-Xms256m -Xmx512m').split(/\s+/);
    const proc = new ServiceProcess({
      name: service.name,
      stateDir: ctx.stateDir,
      cwd: dir,
      otherLogs: [path.join(dir, 'logs/server.log')],
      command: 'java',
      args: [
        ...heap,
        '-XX:+UseG1GC',
        '-XX:+ExitOnOutOfMemoryError',
        '-Djava.awt.headless=true',
        ...log4j,
        ...classpath,
        'kafka.Kafka',
        config,
      ],
      env: { PATH: process.env.PATH, HOME: process.env.HOME ?? dir },
    });
    return {
      proc,
      /**
       * The image's kafka-broker-api-versions.sh, done by a Kafka client inside the service's
       * network, with the client settings of its `--command-config` file (TLS, key store).
       */
      probe: async (test) => {
        const command = test[0] === 'CMD-SHELL' ? test[1] : test.slice(1).join(' ');
        const bootstrap = /kafka-broker-api-versions(?:\.sh)?\s+.*--bootstrap-server[ =](\S+)/.exec(command)?.[1];
        if (!bootstrap)
          throw new Error(
            `kafka: healthcheck "${command}" is not kafka-broker-api-versions.sh --bootstrap-server <host:port>; this runner only knows that one`,
          );
        const config = /--command-config[ =](\S+)/.exec(command)?.[1];
        const configFile = config && (hostPathOf(config, ctx.mounts) ?? config);
        return ctx.runCheck(
          process.execPath,
          [path.join(ctx.root, 'scripts/lib/compose/kafka-ready.cjs'), bootstrap, ...(configFile ? [configFile] : [])],
          { env: ctx.namespaceEnv(service.name) },
        );
      },
    };
  },
};

/** A Kafka Uuid as its own tools print it: 16 random bytes, URL-safe base64, no leading '-'. */
function kafkaUuid() {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
