import { Injectable, type Type } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { UnguardedHandlerError } from './errors/security-errors';
import { describeUnguarded, findUnguardedHandlers } from './unguarded-handlers';

/**
 * Start-up duty: refuse to start if any HTTP route declares no requirement or any message/event
 * handler lacks the KafkaEventGuard. (The JWKS warm-up is JwksWarmUp's, with the verifier's providers.)
 *
 * It runs in the CONSTRUCTOR, i.e. while NestFactory.create() builds the module graph, and not in
 * onModuleInit: `app.connectMicroservice()` marks a hybrid app's microservice as already initialised,
 * so `app.startAllMicroservices()` starts consuming without running any lifecycle hook, and in the
 * usual order (microservices before `app.listen()`) events reached handlers before onModuleInit ran.
 * Throwing here means no application object exists to start, whatever order the caller uses,
 * on Fastify, Express or a standalone microservice. Every controller is already registered when
 * providers are instantiated (Nest scans the whole module graph first), and only decorator metadata
 * is read, so nothing depends on instantiation order.
 */
@Injectable()
export class SecurityBootstrapService {
  constructor(discovery: DiscoveryService, scanner: MetadataScanner, reflector: Reflector) {
    const controllers = discovery
      .getControllers()
      .map((wrapper) => wrapper.metatype as Type<unknown> | undefined)
      .filter((type): type is Type<unknown> => typeof type === 'function' && type.prototype !== undefined);
    const problems = describeUnguarded(findUnguardedHandlers(new Set(controllers), reflector, scanner));
    if (problems.length > 0) throw new UnguardedHandlerError(problems);
  }
}
