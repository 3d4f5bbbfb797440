// Test helpers, kept out of the runtime entry point (`@zt/platform`) so no app loads them in production.
export * from './start-app-for-test';
export * from './start-secured-app-for-test';
export * from './test-database-url';
export * from './platform-contract.cases';
export * from './expect-problem';
export * from './config-failure';
export * from './tls-test-pki';
export * from './tls-probe-app';
export * from './tls-client';
export * from './test-kafka';
