import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { createPrivateKey, KeyObject } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuthorizationServerConfig } from '../config/authorization-server-config';
import { AUTHORIZATION_SERVER_CONFIG } from '../config/authorization-server-config.token';
import { publicJwk, SigningJwk } from './signing-jwk';
import { SigningKeyStore } from './signing-key-store';

/** The keys in force: `signing` signs; `published` (signing key first) is the JWKS. */
export interface KeySet {
  signing: SigningJwk;
  signingKey: KeyObject;
  published: SigningJwk[];
  /** The provider's keystore: every key, the signing key first (oidc-provider signs with the first match). */
  privateKeys: SigningJwk[];
  version: string;
}

type Listener = (keys: KeySet) => void;

/**
 * Where signing keys come from: OAUTH_SIGNING_KEYS (production), or PostgreSQL (development,
 * generated on first start). The store is polled so that a rotation made by any instance
 * reaches all of them within OAUTH_SIGNING_KEYS_POLL_SECONDS.
 */
@Injectable()
export class SigningKeysService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SigningKeysService.name);
  private readonly listeners: Listener[] = [];
  private readonly store?: SigningKeyStore;
  private keys?: KeySet;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(AUTHORIZATION_SERVER_CONFIG) private readonly config: AuthorizationServerConfig,
    db: DataSource,
  ) {
    if (!config.configuredSigningKeys) this.store = new SigningKeyStore(db);
  }

  get databaseBacked(): boolean {
    return Boolean(this.store);
  }

  async onModuleInit(): Promise<void> {
    if (!this.store) {
      this.keys = toKeySet(this.config.configuredSigningKeys!);
      return;
    }
    await this.store.ensureKeys();
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((error) =>
        this.logger.warn(`signing key refresh failed, keeping current keys: ${error.message}`),
      );
    }, this.config.signingKeysPollSeconds * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  current(): KeySet {
    if (!this.keys) throw new Error('signing keys are not loaded yet');
    return this.keys;
  }

  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  /** Development rotation (see scripts/rotate-keys.mjs); production rotates through OAUTH_SIGNING_KEYS. */
  async rotate(): Promise<KeySet> {
    if (!this.store) throw new Error('signing keys come from OAUTH_SIGNING_KEYS: rotate them there');
    // Retired keys stay published for longer than anything they signed can live.
    const longestLifetime = Math.max(this.config.accessTokenTtlSeconds, this.config.eventTokenTtlSeconds, 3600);
    await this.store.rotate(longestLifetime + 300);
    await this.refresh();
    return this.current();
  }

  async refresh(): Promise<void> {
    const stored = await this.store!.load();
    const next = toKeySet(stored.map((key) => key.jwk));
    if (next.version === this.keys?.version) return;
    this.keys = next;
    this.logger.log(`signing with kid ${next.signing.kid}; publishing ${next.published.map((k) => k.kid).join(', ')}`);
    for (const listener of this.listeners) listener(next);
  }
}

function toKeySet(ordered: SigningJwk[]): KeySet {
  const [signing] = ordered;
  if (!signing) throw new Error('no signing key available');
  return {
    signing,
    signingKey: createPrivateKey({ key: signing, format: 'jwk' }),
    published: ordered.map(publicJwk),
    privateKeys: ordered,
    version: ordered.map((key) => key.kid).join(' '),
  };
}
