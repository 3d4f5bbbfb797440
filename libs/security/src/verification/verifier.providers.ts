import { Logger, type Provider } from '@nestjs/common';
import type { SecurityOptions } from '../config/security-options';
import { SECURITY_OPTIONS } from '../security.constants';
import { AccessTokenVerifier } from './access-token-verifier';
import { createAccessTokenVerifier } from './create-verifier';
import { JwksKeyStore } from './jwks-key-store';
import { JwksWarmUp } from './jwks-warm-up.service';

/** Internal token of the pair built once, so the key store and the verifier are the same instances. */
const VERIFIER_PAIR = Symbol('zt.security.verifier-pair');

/**
 * THE way to get a verifier in a Nest app: JwksKeyStore + AccessTokenVerifier (one of each, built
 * by `createAccessTokenVerifier` from the resolved options under SECURITY_OPTIONS, which the
 * caller provides) and the JWKS warm-up at start-up. SecurityModule uses it; so does an app that
 * verifies tokens without SecurityModule's guards (the gateway):
 *
 *   providers: [{ provide: SECURITY_OPTIONS, useFactory: () => resolveSecurityOptions() }, ...provideAccessTokenVerifier()]
 */
export function provideAccessTokenVerifier(): Provider[] {
  return [
    {
      provide: VERIFIER_PAIR,
      inject: [SECURITY_OPTIONS],
      useFactory: (options: SecurityOptions) => createAccessTokenVerifier(options, new Logger('Security')),
    },
    { provide: JwksKeyStore, inject: [VERIFIER_PAIR], useFactory: (pair: { keyStore: JwksKeyStore }) => pair.keyStore },
    {
      provide: AccessTokenVerifier,
      inject: [VERIFIER_PAIR],
      useFactory: (pair: { verifier: AccessTokenVerifier }) => pair.verifier,
    },
    JwksWarmUp,
  ];
}
