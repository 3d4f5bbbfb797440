import { Module, type DynamicModule, type ModuleMetadata, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { resolveSecurityOptions, type SecurityOptions } from './config/security-options';
import { AccessTokenStrategy } from './authz/access-token.strategy';
import { JwtAuthGuard } from './authz/jwt-auth.guard';
import { ServiceClient } from './forwarding/service-client';
import { Rfc6750ExceptionFilter } from './http/rfc6750-exception.filter';
import { KafkaDeadLetterFilter } from './kafka/kafka-dead-letter.filter';
import { KafkaEventGuard } from './kafka/kafka-event.guard';
import { SecurityBootstrapService } from './security-bootstrap.service';
import { SECURITY_OPTIONS } from './security.constants';
import { AccessTokenVerifier } from './verification/access-token-verifier';
import { JwksKeyStore } from './verification/jwks-key-store';
import { provideAccessTokenVerifier } from './verification/verifier.providers';
import { VerificationObserverBinding } from './verification/verification-observer.binding';

export interface SecurityModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: unknown[];
  useFactory: (...args: never[]) => Partial<SecurityOptions> | Promise<Partial<SecurityOptions>>;
}

const SHARED: Provider[] = [
  // Key store, verifier and JWKS warm-up: built the one way every app builds them.
  ...provideAccessTokenVerifier(),
  KafkaEventGuard,
  JwtAuthGuard,
  Rfc6750ExceptionFilter,
  KafkaDeadLetterFilter,
  ServiceClient,
  AccessTokenStrategy,
  SecurityBootstrapService,
  // The app's VERIFICATION_OBSERVER (optional, e.g. the platform's metrics) handed to the key store.
  VerificationObserverBinding,
  // Secure by default: every route of the app needs a token unless it says @Public().
  { provide: APP_GUARD, useExisting: JwtAuthGuard },
  { provide: APP_FILTER, useExisting: Rfc6750ExceptionFilter },
];
const EXPORTS = [
  SECURITY_OPTIONS,
  JwksKeyStore,
  AccessTokenVerifier,
  KafkaEventGuard,
  JwtAuthGuard,
  KafkaDeadLetterFilter,
  ServiceClient,
];

/**
 * `SecurityModule.forRoot()` in the root module is the whole integration: options come from the
 * contract's environment variables (explicit options override them) and are validated at start-up.
 */
@Module({})
export class SecurityModule {
  static forRoot(options: Partial<SecurityOptions> = {}): DynamicModule {
    return {
      module: SecurityModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [{ provide: SECURITY_OPTIONS, useFactory: () => resolveSecurityOptions(options) }, ...SHARED],
      exports: EXPORTS,
    };
  }

  static forRootAsync(options: SecurityModuleAsyncOptions): DynamicModule {
    return {
      module: SecurityModule,
      global: true,
      imports: [DiscoveryModule, ...(options.imports ?? [])],
      providers: [
        {
          provide: SECURITY_OPTIONS,
          inject: (options.inject ?? []) as never[],
          useFactory: async (...args: never[]) => resolveSecurityOptions(await options.useFactory(...args)),
        },
        ...SHARED,
      ],
      exports: EXPORTS,
    };
  }
}
