/**
 * A database URL for a test: the server from DATABASE_URL (or the local one), with a
 * database of the test's own, so test runs never touch the demo's data. `npm test` sets
 * DATABASE_URL to its own cluster's admin URL (sslmode=verify-full with the `platform-admin`
 * certificate files as parameters), which this keeps: only the database changes.
 */
export function testDatabaseUrl(database: string): string {
  const url = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${database}`;
  return url.toString();
}

/** KAFKA_BROKERS for an integration test; a test that needs Kafka fails loudly without it. */
export function testKafkaBrokers(): string {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run the tests with `npm test`, which starts a broker');
  return brokers;
}
