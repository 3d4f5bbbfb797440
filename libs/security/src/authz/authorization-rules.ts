import { ErrorCode, ForbiddenError, InsufficientScopeError } from '../errors/security-errors';
import type { Principal } from '../verification/principal';
import type { ClaimParamBinding, ScopeRequirement } from './security-metadata';

/** Scopes compare as whole strings: no prefixes, no wildcards, no case folding. */
export function assertScopes(principal: Principal, requirement: ScopeRequirement | undefined): void {
  if (!requirement) return;
  const held = principal.scopes;
  const ok =
    requirement.mode === 'all'
      ? requirement.scopes.every((s) => held.includes(s))
      : requirement.scopes.some((s) => held.includes(s));
  if (!ok) throw new InsufficientScopeError(requirement.scopes, requirement.mode);
}

/** Each bound claim must be a string equal to the route parameter (absent claim = mismatch). */
export function assertClaimsMatchParams(
  principal: Principal,
  bindings: readonly ClaimParamBinding[] | undefined,
  params: Record<string, unknown> | undefined,
): void {
  for (const { claim, param } of bindings ?? []) {
    const expected = params?.[param];
    const actual = principal.claims[claim];
    if (typeof actual !== 'string' || typeof expected !== 'string' || actual !== expected) {
      throw new ForbiddenError(ErrorCode.CLAIM_MISMATCH, `claim ${claim} does not match route param ${param}`);
    }
  }
}

/**
 * `@AllowedCallers`: the workload named by the connection's verified client certificate must be one
 * of these. No certificate (plain HTTP) or one naming no workload is refused like a wrong one.
 */
export function assertCallerAllowed(principal: Principal, callers: readonly string[] | undefined): void {
  if (!callers) return;
  const workload = principal.caller?.workload;
  if (workload === undefined || !callers.includes(workload)) {
    throw new ForbiddenError(
      ErrorCode.CALLER_NOT_ALLOWED,
      `caller ${workload ?? 'without a workload certificate'} is not one of ${callers.join(', ')}`,
    );
  }
}
