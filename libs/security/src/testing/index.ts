export { TestIssuer, type MintOptions } from './test-issuer';
export { SpyServer } from './spy-server';
export {
  generateTestKey,
  publicJwk,
  signCompact,
  signHmac,
  b64url,
  type TestKey,
  type TestAlgorithm,
} from './test-keys';
