import { Inject, Injectable, Optional } from '@nestjs/common';
import { JwksKeyStore } from './jwks-key-store';
import { VERIFICATION_OBSERVER, type VerificationObserver } from './verification-observer';

/**
 * Hands the app's VerificationObserver (if any) to the key store, which is built outside Nest's
 * injector (createAccessTokenVerifier). Built before any lifecycle hook, so the start-up JWKS
 * warm-up is observed too.
 */
@Injectable()
export class VerificationObserverBinding {
  constructor(keyStore: JwksKeyStore, @Optional() @Inject(VERIFICATION_OBSERVER) observer?: VerificationObserver) {
    if (observer) keyStore.observe(observer);
  }
}
