import type { DynamicModule, Type } from '@nestjs/common';
import { MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';

type ModuleRef = Type<unknown> | DynamicModule;

/**
 * Whether the app declares a controller at `/metrics` of its own (the gateway does, with its own
 * registry and allow-list): then the platform's route is left out, since Fastify refuses a route
 * declared twice. Reads static module metadata only; lazily resolved imports are not followed.
 */
export function declaresOwnMetricsRoute(root: Type<unknown>): boolean {
  const seen = new Set<unknown>();
  const visit = (ref: unknown): boolean => {
    if (!ref || seen.has(ref) || (typeof ref !== 'function' && typeof ref !== 'object')) return false;
    seen.add(ref);
    const dynamic = typeof ref === 'object' ? (ref as Partial<DynamicModule>) : undefined;
    const type = (dynamic ? dynamic.module : ref) as Type<unknown> | undefined;
    const controllers: Type<unknown>[] = [
      ...((type && (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, type) as Type<unknown>[])) ?? []),
      ...(dynamic?.controllers ?? []),
    ];
    if (controllers.some(isMetricsController)) return true;
    const imports: unknown[] = [
      ...((type && (Reflect.getMetadata(MODULE_METADATA.IMPORTS, type) as ModuleRef[])) ?? []),
      ...(dynamic?.imports ?? []),
    ];
    return imports.some(visit);
  };
  return visit(root);
}

function isMetricsController(controller: Type<unknown>): boolean {
  const paths: unknown = Reflect.getMetadata(PATH_METADATA, controller);
  return (Array.isArray(paths) ? paths : [paths]).some((p) => String(p).replace(/^\/+|\/+$/g, '') === 'metrics');
}
