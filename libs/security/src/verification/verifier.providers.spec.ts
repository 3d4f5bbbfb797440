import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { resolveSecurityOptions } from '../config/security-options';
import { ErrorCode } from '../errors/security-errors';
import { SECURITY_OPTIONS } from '../security.constants';
import { codeOf } from '../testing/verifier-test-setup';
import { TestIssuer } from '../testing/test-issuer';
import { AccessTokenVerifier } from './access-token-verifier';
import { JwksKeyStore } from './jwks-key-store';
import { provideAccessTokenVerifier } from './verifier.providers';

/** An app that verifies tokens without SecurityModule's guards (as the gateway does). */
async function verifierOnlyApp(issuer: TestIssuer): Promise<INestApplicationContext> {
  @Module({
    providers: [
      {
        provide: SECURITY_OPTIONS,
        useFactory: () => resolveSecurityOptions({ jwksMinRefreshIntervalMs: 60_000 }, issuer.env()),
      },
      ...provideAccessTokenVerifier(),
    ],
  })
  class VerifierOnlyModule {}
  const app = await NestFactory.createApplicationContext(VerifierOnlyModule, { logger: false, abortOnError: false });
  return app.init();
}

describe('provideAccessTokenVerifier', () => {
  let issuer: TestIssuer;
  beforeEach(async () => (issuer = await TestIssuer.start()));
  afterEach(() => issuer.stop());

  it('builds one key store and one verifier on it, and has the keys before the first token', async () => {
    const app = await verifierOnlyApp(issuer);
    try {
      const keyStore = app.get(JwksKeyStore);
      expect(issuer.jwksFetchCount).toBe(1);
      expect(keyStore.fetchCount).toBe(1);
      expect((await app.get(AccessTokenVerifier).verify(issuer.token({ sub: 'usr_a' }))).sub).toBe('usr_a');
      expect(issuer.jwksFetchCount).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('starts with the JWKS unreachable and fails closed', async () => {
    issuer.available = false;
    const app = await verifierOnlyApp(issuer);
    try {
      expect(issuer.jwksFetchCount).toBe(1);
      expect(await codeOf(app.get(AccessTokenVerifier).verify(issuer.token()))).toBe(ErrorCode.JWKS_UNAVAILABLE);
    } finally {
      await app.close();
    }
  });
});
