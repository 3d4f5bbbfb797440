import { DynamicModule, Module } from '@nestjs/common';
import { Env, isDevelopment } from '@zt/platform';
import { DevKeysController } from './dev-keys.controller';
import { SigningKeysService } from './signing-keys.service';

/**
 * The signing keys. The rotation endpoint (DevKeysController) is registered only when development
 * is chosen explicitly: in production there is no such route at all, and keys are rotated through
 * OAUTH_SIGNING_KEYS. Read from the environment while the module graph is built, as the platform
 * and authorization server configuration are.
 */
@Module({})
export class KeysModule {
  static forRoot(env: Env = process.env): DynamicModule {
    return {
      module: KeysModule,
      controllers: isDevelopment(env) ? [DevKeysController] : [],
      providers: [SigningKeysService],
      exports: [SigningKeysService],
    };
  }
}
