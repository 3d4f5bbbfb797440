import { SetMetadata } from '@nestjs/common';
import { REQUIRED_SCOPES, type ScopeRequirement } from './security-metadata';

/** The token must carry ALL of these scopes (exact matches; `accounts:rea` is not `accounts:read`). */
export const Scopes = (...scopes: string[]) => SetMetadata(REQUIRED_SCOPES, requirement('all', scopes));

/** The token must carry AT LEAST ONE of these scopes. */
export const AnyScope = (...scopes: string[]) => SetMetadata(REQUIRED_SCOPES, requirement('any', scopes));

function requirement(mode: 'all' | 'any', scopes: string[]): ScopeRequirement {
  // An empty list would silently mean "no requirement": refuse it when the decorator is evaluated.
  if (scopes.length === 0 || scopes.some((s) => typeof s !== 'string' || s.trim() === '' || /\s/.test(s))) {
    throw new Error(`@${mode === 'all' ? 'Scopes' : 'AnyScope'}() needs one or more scope names without spaces`);
  }
  return Object.freeze({ mode, scopes: Object.freeze([...scopes]) });
}
