// Applies the platform's Kafka permissions (infra/kafka/acls.json) to a broker, as the platform-admin
// identity (a super user in kafka.sh): creates the declared topics that are missing, creates the
// declared ACLs and deletes every ACL the file does not declare, so the file is the whole truth.
// Running it twice changes nothing the second time.
//
// Why the admin creates the topics: a service would otherwise need CREATE, and CREATE on a topic
// name cannot be narrowed to "only the topics I own" without listing them here anyway; with the
// admin creating them no service can add a topic, and a misspelt topic fails loudly at start-up
// (ensureTopics in libs/platform gets TOPIC_AUTHORIZATION_FAILED) instead of creating an empty one.
//
// Written with erasable TypeScript only: scripts/lib/kafka-acls.mjs runs it directly on Node 24,
// and the Jest tests import it like any other module.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import kafkajs from 'kafkajs';
import type { Admin, AclEntry, AclFilter } from 'kafkajs';

const { Kafka, AclResourceTypes, AclOperationTypes, AclPermissionTypes, ResourcePatternTypes, logLevel } = kafkajs;

/** What one workload may do; every name must also be in `topics`. */
export interface WorkloadPermissions {
  /** Topics it produces to (WRITE, which implies DESCRIBE). */
  write?: string[];
  /** Topics it consumes (READ, which implies DESCRIBE). */
  read?: string[];
  /** Consumer groups it joins and commits offsets in (READ on the group). */
  groups?: string[];
}

export interface KafkaAclDeclaration {
  topics: string[];
  /** Keyed by workload name: the principal `User:<name>` that kafka.sh maps from the certificate CN. */
  principals: Record<string, WorkloadPermissions>;
}

export interface ApplyKafkaAclsOptions {
  brokers: string[];
  /** The PKI folder holding ca.crt and platform-admin.crt/.key (infra/pki/dev-pki.ts). */
  pkiDir: string;
  /** The declaration, or the path of a JSON file holding it (infra/kafka/acls.json). */
  acls: KafkaAclDeclaration | string;
  /** How long to wait for the broker's metadata to show the topics and ACLs (default 30 s). */
  timeoutMs?: number;
}

export interface AppliedKafkaAcls {
  topicsCreated: string[];
  aclsCreated: number;
  aclsDeleted: number;
}

export const ADMIN_WORKLOAD = 'platform-admin';
const NAME = /^[a-z0-9][a-z0-9-]*$/;
const TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

/** Reads and checks a declaration: unknown topics, odd names or shapes stop here, not at the broker. */
export function readKafkaAclDeclaration(file: string): KafkaAclDeclaration {
  return checkDeclaration(JSON.parse(readFileSync(file, 'utf8')) as unknown, file);
}

export function checkDeclaration(value: unknown, source = 'ACL declaration'): KafkaAclDeclaration {
  const fail = (why: string): never => {
    throw new Error(`${source}: ${why}`);
  };
  const record = value as Partial<KafkaAclDeclaration> | null;
  if (!record || !Array.isArray(record.topics) || typeof record.principals !== 'object' || !record.principals)
    return fail('needs "topics" (array) and "principals" (object)');
  const topics = new Set<string>();
  for (const topic of record.topics as unknown[]) {
    if (typeof topic !== 'string' || !TOPIC.test(topic)) fail(`invalid topic name ${JSON.stringify(topic)}`);
    topics.add(topic as string);
  }
  for (const [name, permissions] of Object.entries(record.principals)) {
    if (!NAME.test(name)) fail(`invalid workload name ${JSON.stringify(name)}`);
    if (name === ADMIN_WORKLOAD || name === 'kafka') fail(`${name} is a super user: it needs no ACL`);
    for (const key of Object.keys(permissions ?? {}))
      if (!['write', 'read', 'groups'].includes(key)) fail(`${name}: unknown permission "${key}"`);
    for (const topic of [...(permissions.write ?? []), ...(permissions.read ?? [])])
      if (!topics.has(topic)) fail(`${name}: topic ${topic} is not in "topics"`);
    for (const group of permissions.groups ?? [])
      if (typeof group !== 'string' || !TOPIC.test(group)) fail(`${name}: invalid group ${JSON.stringify(group)}`);
  }
  return record as KafkaAclDeclaration;
}

/** The ACL bindings a declaration stands for: ALLOW, any host, literal names, nothing else. */
export function aclEntries(declaration: KafkaAclDeclaration): AclEntry[] {
  const entries: AclEntry[] = [];
  const allow = (principal: string, resourceType: number, resourceName: string, operation: number) =>
    entries.push({
      principal: `User:${principal}`,
      host: '*',
      resourceType,
      resourceName,
      resourcePatternType: ResourcePatternTypes.LITERAL,
      operation,
      permissionType: AclPermissionTypes.ALLOW,
    });
  for (const [name, permissions] of Object.entries(declaration.principals)) {
    for (const topic of permissions.write ?? []) allow(name, AclResourceTypes.TOPIC, topic, AclOperationTypes.WRITE);
    for (const topic of permissions.read ?? []) allow(name, AclResourceTypes.TOPIC, topic, AclOperationTypes.READ);
    for (const group of permissions.groups ?? []) allow(name, AclResourceTypes.GROUP, group, AclOperationTypes.READ);
  }
  return entries;
}

/** The admin's kafkajs TLS options: the platform CA only, and the platform-admin certificate. */
export function adminSsl(pkiDir: string): ConnectionOptions {
  const file = (name: string) => readFileSync(path.join(pkiDir, name), 'utf8');
  return {
    ca: [file('ca.crt')],
    cert: file(`${ADMIN_WORKLOAD}.crt`),
    key: file(`${ADMIN_WORKLOAD}.key`),
    minVersion: 'TLSv1.2',
  };
}

export async function applyKafkaAcls(options: ApplyKafkaAclsOptions): Promise<AppliedKafkaAcls> {
  const declaration = typeof options.acls === 'string' ? readKafkaAclDeclaration(options.acls) : options.acls;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const admin = new Kafka({
    clientId: 'platform-admin-acls',
    brokers: options.brokers,
    ssl: adminSsl(options.pkiDir),
    logLevel: logLevel.NOTHING,
    retry: { retries: 5, initialRetryTime: 200 },
  }).admin();
  await admin.connect();
  try {
    const topicsCreated = await createMissingTopics(admin, declaration.topics, deadline);
    const wanted = aclEntries(declaration);
    const { toCreate, toDelete } = diff(wanted, await currentAcls(admin));
    if (toCreate.length) await admin.createAcls({ acl: toCreate });
    if (toDelete.length) await admin.deleteAcls({ filters: toDelete });
    // The broker's authorizer applies ACL records as it replays the metadata log: wait until it
    // answers with exactly the declared set, so a client started next is judged by these ACLs.
    await until(deadline, 'the broker to report the declared ACLs', async () => {
      const left = diff(wanted, await currentAcls(admin));
      return left.toCreate.length === 0 && left.toDelete.length === 0;
    });
    return { topicsCreated, aclsCreated: toCreate.length, aclsDeleted: toDelete.length };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function createMissingTopics(admin: Admin, topics: string[], deadline: number): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic));
  if (missing.length) await admin.createTopics({ topics: missing.map((topic) => ({ topic })), waitForLeaders: false });
  // KRaft: a topic just created can be unknown to the broker's metadata for a moment.
  await until(deadline, `leaders for ${topics.join(', ')}`, async () => {
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
    return topics.every((topic) => {
      const partitions = metadata.find((entry) => entry.name === topic)?.partitions ?? [];
      return partitions.length > 0 && partitions.every((partition) => partition.leader >= 0);
    });
  });
  return missing;
}

async function currentAcls(admin: Admin): Promise<AclEntry[]> {
  const { resources } = await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  });
  return resources.flatMap(({ acls, ...resource }) => acls.map((acl) => ({ ...resource, ...acl })));
}

const keyOf = (e: AclEntry) =>
  [e.principal, e.host, e.resourceType, e.resourceName, e.resourcePatternType, e.operation, e.permissionType].join('|');

function diff(wanted: AclEntry[], current: AclEntry[]): { toCreate: AclEntry[]; toDelete: AclFilter[] } {
  const have = new Set(current.map(keyOf));
  const want = new Set(wanted.map(keyOf));
  return {
    toCreate: wanted.filter((entry) => !have.has(keyOf(entry))),
    // An exact filter per stray binding: deletes that one, never a neighbour.
    toDelete: current.filter((entry) => !want.has(keyOf(entry))),
  };
}

async function until(deadline: number, what: string, check: () => Promise<boolean>): Promise<void> {
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error; // transient while the broker's metadata catches up
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
