import type { Type } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import {
  ALLOWED_CALLERS,
  CLAIM_PARAM_BINDINGS,
  IS_PUBLIC,
  REQUIRED_SCOPES,
  type ClaimParamBinding,
  type ScopeRequirement,
} from './security-metadata';

export interface RouteRequirements {
  isPublic: boolean;
  scopes?: ScopeRequirement;
  claimParams: readonly ClaimParamBinding[];
  /** `@AllowedCallers`: the workloads whose verified client certificate may call the route. */
  callers?: readonly string[];
}

/**
 * Decorator metadata never changes after start-up, so it is read once per handler instead of on
 * every request (several reflector look-ups per call add up at tens of thousands of requests/s).
 * Method metadata overrides class metadata; claim bindings from both are combined.
 */
export class RouteRequirementsCache {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- keyed by ExecutionContext.getHandler(), typed `Function` by Nest
  private readonly cache = new WeakMap<Function, RouteRequirements>();

  constructor(private readonly reflector: Reflector) {}

  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- what ExecutionContext.getHandler() returns
  get(handler: Function, controller: Type<unknown>): RouteRequirements {
    let requirements = this.cache.get(handler);
    if (!requirements) {
      const targets = [handler, controller];
      requirements = Object.freeze({
        isPublic: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true,
        scopes: this.reflector.getAllAndOverride<ScopeRequirement>(REQUIRED_SCOPES, targets),
        // Nest's getAllAndMerge answers [] (never undefined) when nothing is declared: the fallback is unreachable.
        // Stryker disable next-line ArrayDeclaration: equivalent mutant (see above)
        claimParams: this.reflector.getAllAndMerge<ClaimParamBinding[]>(CLAIM_PARAM_BINDINGS, targets) ?? [],
        callers: this.reflector.getAllAndOverride<readonly string[]>(ALLOWED_CALLERS, targets),
      });
      this.cache.set(handler, requirements);
    }
    return requirements;
  }
}
