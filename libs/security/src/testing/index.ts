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
export {
  createTestCa,
  issueTestCertificate,
  testThumbprint,
  type TestPemPair,
  type TestCertificateOptions,
} from './test-pki';
export { tlsRequest, type TlsRequestOptions, type TlsResponse } from './tls-request';
