/** Metadata keys shared by the decorators and the guards (one place, so they cannot drift). */
export const IS_PUBLIC = 'zt:security:public';
export const AUTHENTICATED = 'zt:security:authenticated';
export const REQUIRED_SCOPES = 'zt:security:scopes';
export const CLAIM_PARAM_BINDINGS = 'zt:security:claim-params';
export const EVENT_BINDINGS = 'zt:security:event-bindings';
export const EVENT_ACTORS = 'zt:security:event-actors';
export const ALLOWED_CALLERS = 'zt:security:allowed-callers';

export interface ScopeRequirement {
  mode: 'all' | 'any';
  scopes: readonly string[];
}

export interface ClaimParamBinding {
  claim: string;
  param: string;
}
