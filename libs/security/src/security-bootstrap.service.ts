import { Injectable, Logger, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { UnguardedHandlerError } from './errors/security-errors';
import { describeUnguarded, findUnguardedHandlers } from './unguarded-handlers';
import { JwksKeyStore } from './verification/jwks-key-store';

/**
 * Start-up duties: (1) refuse to start if any HTTP route declares no requirement or any
 * message/event handler lacks the KafkaEventGuard; (2) warm the JWKS.
 *
 * (1) runs in the CONSTRUCTOR, i.e. while NestFactory.create() builds the module graph, and not in
 * onModuleInit: `app.connectMicroservice()` marks a hybrid app's microservice as already initialised,
 * so `app.startAllMicroservices()` starts consuming without running any lifecycle hook, and in the
 * usual order (microservices before `app.listen()`) events reached handlers before onModuleInit ran.
 * Throwing here means no application object exists to start, whatever order the caller uses,
 * on Fastify, Express or a standalone microservice. Every controller is already registered when
 * providers are instantiated (Nest scans the whole module graph first), and only decorator metadata
 * is read, so nothing depends on instantiation order.
 */
@Injectable()
export class SecurityBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Security');

  constructor(
    discovery: DiscoveryService,
    scanner: MetadataScanner,
    reflector: Reflector,
    private readonly keyStore: JwksKeyStore,
  ) {
    const controllers = discovery
      .getControllers()
      .map((wrapper) => wrapper.metatype as Type<unknown> | undefined)
      .filter((type): type is Type<unknown> => typeof type === 'function' && type.prototype !== undefined);
    const problems = describeUnguarded(findUnguardedHandlers(new Set(controllers), reflector, scanner));
    if (problems.length > 0) throw new UnguardedHandlerError(problems);
  }

  async onApplicationBootstrap(): Promise<void> {
    // A down AS must not stop the service: requests fail closed until keys arrive.
    if (!(await this.keyStore.warm())) this.logger.warn('JWKS warm-up failed; tokens are rejected until the JWKS is reachable');
  }
}
