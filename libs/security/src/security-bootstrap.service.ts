import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { IS_PUBLIC } from './authz/security-metadata';
import { KafkaEventGuard } from './kafka/kafka-event.guard';
import { JwksKeyStore } from './verification/jwks-key-store';

/**
 * Start-up duties: (1) refuse to start if any message/event handler lacks the KafkaEventGuard,
 * because NestJS does not apply the HTTP app's global guards to a connected microservice by
 * default, and an unguarded handler would process unauthenticated events; (2) warm the JWKS.
 */
@Injectable()
export class SecurityBootstrapService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('Security');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly keyStore: JwksKeyStore,
  ) {}

  onModuleInit(): void {
    const unguarded: string[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const type = wrapper.metatype as (new (...args: unknown[]) => unknown) | undefined;
      if (!type?.prototype) continue;
      const classGuards: unknown[] = Reflect.getMetadata(GUARDS_METADATA, type) ?? [];
      for (const name of this.scanner.getAllMethodNames(type.prototype)) {
        const handler = type.prototype[name] as object;
        if (Reflect.getMetadata(PATTERN_METADATA, handler) === undefined) continue;
        const guards = [...classGuards, ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[]) ?? [])];
        const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler as () => void, type]) === true;
        if (!isPublic && !guards.includes(KafkaEventGuard)) unguarded.push(`${type.name}.${name}`);
      }
    }
    if (unguarded.length > 0) {
      throw new Error(`Unguarded message handlers: ${unguarded.join(', ')} (use @SecureEventPattern() or @UseGuards(KafkaEventGuard), or mark @Public())`);
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    // A down AS must not stop the service: requests fail closed until keys arrive.
    if (!(await this.keyStore.warm())) this.logger.warn('JWKS warm-up failed; tokens are rejected until the JWKS is reachable');
  }
}
