import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { JwksKeyStore } from './jwks-key-store';

/**
 * Fetches the JWKS once at start-up, so the first request does not pay for (or wait on) the fetch.
 * Never fails start-up: with the AS down the service starts, and tokens are refused (fail closed)
 * until the keys arrive through the key store's own bounded refetch.
 */
@Injectable()
export class JwksWarmUp implements OnApplicationBootstrap {
  private readonly logger = new Logger('Security');

  constructor(private readonly keyStore: JwksKeyStore) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!(await this.keyStore.warm()))
      this.logger.warn('JWKS warm-up failed; tokens are rejected until the JWKS is reachable');
  }
}
