import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Provider } from 'oidc-provider';
import { DataSource } from 'typeorm';
import { DEV_USER_GRANT, TOKEN_EXCHANGE_GRANT } from '../clients/clients';
import { AuthorizationServerConfig } from '../config/authorization-server-config';
import { AUTHORIZATION_SERVER_CONFIG } from '../config/authorization-server-config.token';
import { KeySet, SigningKeysService } from '../keys/signing-keys.service';
import { BANK_API_RESOURCE } from '../scopes/api-scopes';
import { UsersService } from '../users/users.service';
import { DEV_USER_PARAMETERS, devUserHandler } from './dev-user.grant';
import { phantomTokenMiddleware } from './phantom-token.middleware';
import { PostgresAdapter, purgeExpired } from './postgres-adapter';
import { providerConfiguration } from './provider-configuration';
import { resourceServerInfo } from './token-policy';
import { TOKEN_EXCHANGE_PARAMETERS, tokenExchangeHandler } from './token-exchange.grant';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Owns the oidc-provider instance. oidc-provider reads its keystore once, so a key rotation
 * builds a new instance with the new keys and swaps it in; requests already running finish on
 * the old one (all state is in PostgreSQL, so both instances see the same tokens).
 */
@Injectable()
export class OidcProviderService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('oidc-provider');
  private provider?: Provider;
  private handler?: Handler;
  private purgeTimer?: NodeJS.Timeout;

  constructor(
    @Inject(AUTHORIZATION_SERVER_CONFIG) private readonly config: AuthorizationServerConfig,
    private readonly keys: SigningKeysService,
    private readonly users: UsersService,
    private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.install(this.keys.current());
    this.keys.onChange((keys) => this.install(keys));
    // A failed purge is retried by the next tick; the timer callback must not return the promise.
    this.purgeTimer = setInterval(() => {
      purgeExpired(this.db).catch(() => undefined);
    }, 10 * 60_000);
    this.purgeTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.purgeTimer);
  }

  get current(): Provider {
    if (!this.provider) throw new Error('oidc-provider is not initialised');
    return this.provider;
  }

  /** The Node request handler of the current instance (see oidc-mount). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return this.handler!(req, res);
  }

  private install(keys: KeySet): void {
    const provider = this.build(keys);
    this.provider = provider;
    this.handler = provider.callback() as Handler;
  }

  private build(keys: KeySet): Provider {
    const { config } = this;
    const provider = new Provider(
      config.issuer,
      providerConfiguration({
        config,
        keys,
        adapter: (model: string) => new PostgresAdapter(model, this.db),
        findUser: (sub) => this.users.findBySub(sub),
      }),
    );
    provider.proxy = config.trustProxy;
    const currentKeys = () => this.keys.current();
    provider.use(phantomTokenMiddleware(config.issuer, currentKeys) as never);
    provider.registerGrantType(
      TOKEN_EXCHANGE_GRANT,
      tokenExchangeHandler({
        issuer: config.issuer,
        ttlSeconds: config.eventTokenTtlSeconds,
        keys: currentKeys,
      }) as never,
      TOKEN_EXCHANGE_PARAMETERS,
      ['audience'],
    );
    if (!config.production) {
      const info = resourceServerInfo(config, keys.signing.alg);
      const handler = devUserHandler({
        issuer: config.issuer,
        findUser: (username) => this.users.findByUsername(username),
        allowedScopes: (user, requested) => this.users.allowedScopes(user, requested),
        resourceServer: (ctx) => info(ctx, BANK_API_RESOURCE, ctx.oidc.client!),
      });
      provider.registerGrantType(DEV_USER_GRANT, handler as never, DEV_USER_PARAMETERS);
    }
    // Failures are logged by kind and description only: never a token, code or secret.
    provider.on('server_error', (_ctx, error) => this.logger.error(`server_error: ${error.message}`));
    provider.on('grant.error', (_ctx, error) => this.logger.debug(`grant.error: ${error.message}`));
    return provider;
  }
}
