import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { UsersModule } from '../users/users.module';
import { OidcMount } from './oidc-mount';
import { OidcProviderService } from './oidc-provider.service';

/** oidc-provider, built once keys and users are ready (they live in modules initialised first). */
@Module({
  imports: [KeysModule.forRoot(), UsersModule],
  providers: [OidcProviderService, OidcMount],
  exports: [OidcProviderService],
})
export class OidcModule {}
