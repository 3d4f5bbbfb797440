import { ResourceNotFoundError } from '../errors/security-errors';
import type { Principal } from '../verification/principal';

/**
 * Object-level authorization (OWASP API1): call after loading an object by id.
 * Throws a 404-style error when the caller does not own it, so "not yours" and "does not exist"
 * are indistinguishable from outside. Pass `undefined` for a missing object to get the same answer.
 */
export function assertOwnedBy(principal: Principal, ownerSub: string | undefined | null): void {
  if (typeof ownerSub !== 'string' || ownerSub === '' || ownerSub !== principal.sub) {
    throw new ResourceNotFoundError();
  }
}
