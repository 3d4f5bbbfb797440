import { DynamicModule, Global, Module } from '@nestjs/common';
import { loadAuthorizationServerConfig } from './authorization-server-config';
import { AUTHORIZATION_SERVER_CONFIG } from './authorization-server-config.token';

/** Validated once, while the module is built, so a bad setting stops start-up naming the variable. */
@Global()
@Module({})
export class AuthorizationServerConfigModule {
  static forRoot(): DynamicModule {
    const provider = { provide: AUTHORIZATION_SERVER_CONFIG, useValue: loadAuthorizationServerConfig(process.env) };
    return { module: AuthorizationServerConfigModule, providers: [provider], exports: [provider] };
  }
}
