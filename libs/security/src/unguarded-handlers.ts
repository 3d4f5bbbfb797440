import { RequestMethod, type Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { MetadataScanner, Reflector } from '@nestjs/core';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { AUTHENTICATED, IS_PUBLIC, REQUIRED_SCOPES } from './authz/security-metadata';
import { KafkaEventGuard } from './kafka/kafka-event.guard';

export interface UnguardedHandlers {
  /** HTTP routes that are not @Public() and declare no requirement, as `GET /path (Class.method)`. */
  routes: string[];
  /** Message/event handlers that are not @Public() and carry no KafkaEventGuard, as `Class.method`. */
  messageHandlers: string[];
}

/**
 * Reads decorator metadata only (no instance is needed), so it can run while the module graph is
 * being built, before any HTTP listener or microservice server exists.
 * A route passes with @Public(), @Scopes(), @AnyScope() or @Authenticated() on the method or its class.
 * A message handler passes with @Public() or the KafkaEventGuard (@SecureEventPattern()), because
 * NestJS does not apply the app's global guards to a connected microservice by default.
 */
export function findUnguardedHandlers(
  controllers: Iterable<Type<unknown>>,
  reflector: Reflector,
  scanner: MetadataScanner,
): UnguardedHandlers {
  const found: UnguardedHandlers = { routes: [], messageHandlers: [] };
  for (const type of controllers) {
    const classGuards: unknown[] = Reflect.getMetadata(GUARDS_METADATA, type) ?? [];
    for (const name of scanner.getAllMethodNames(type.prototype)) {
      const handler = type.prototype[name] as () => void;
      const targets = [handler, type];
      if (reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true) continue;
      if (Reflect.getMetadata(PATTERN_METADATA, handler) !== undefined) {
        const guards = [...classGuards, ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[]) ?? [])];
        if (!guards.includes(KafkaEventGuard)) found.messageHandlers.push(`${type.name}.${name}`);
      }
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      const declared =
        reflector.getAllAndOverride(REQUIRED_SCOPES, targets) !== undefined ||
        reflector.getAllAndOverride<boolean>(AUTHENTICATED, targets) === true;
      if (!declared)
        found.routes.push(`${RequestMethod[method] ?? method} ${routePaths(type, handler)} (${type.name}.${name})`);
    }
  }
  return found;
}

/** Controller path + method path, as written in the decorators (global prefix and versions aside). */
function routePaths(type: Type<unknown>, handler: object): string {
  const list = (value: unknown): string[] =>
    (Array.isArray(value) ? value : [value ?? '']).map((p) => String(p).replace(/^\/+|\/+$/g, ''));
  const paths: string[] = [];
  for (const base of list(Reflect.getMetadata(PATH_METADATA, type))) {
    for (const path of list(Reflect.getMetadata(PATH_METADATA, handler)))
      paths.push(`/${[base, path].filter(Boolean).join('/')}`);
  }
  return paths.join(', ');
}

/** One line per kind of problem, each saying how to fix it. */
export function describeUnguarded({ routes, messageHandlers }: UnguardedHandlers): string[] {
  const problems: string[] = [];
  if (routes.length > 0) {
    problems.push(
      `Routes without a declared requirement: ${routes.join(', ')} (add @Scopes(), @AnyScope() or @Authenticated(), or mark @Public())`,
    );
  }
  if (messageHandlers.length > 0) {
    problems.push(
      `Unguarded message handlers: ${messageHandlers.join(', ')} (use @SecureEventPattern() or @UseGuards(KafkaEventGuard), or mark @Public())`,
    );
  }
  return problems;
}
