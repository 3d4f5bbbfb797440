import { Module } from '@nestjs/common';
import { PlatformModule } from '@zt/platform';
import { AuthorizationServerConfigModule } from '../config/authorization-server-config.module';
import { authorizationServerDatabase } from '../database/authorization-server-database';
import { InteractionsModule } from '../interactions/interactions.module';
import { OidcModule } from '../oidc/oidc.module';

@Module({
  imports: [
    PlatformModule.forService({
      name: 'authorization-server',
      defaultPort: 4000,
      database: authorizationServerDatabase,
    }),
    AuthorizationServerConfigModule.forRoot(),
    OidcModule,
    InteractionsModule,
  ],
})
export class AppModule {}
