import { CLAIM_PARAM_BINDINGS, type ClaimParamBinding } from './security-metadata';

/**
 * Binds a route parameter to a token claim, e.g. `@ClaimMatchesParam('transaction_id', 'id')` on
 * `POST /payments/:id/approve`: a transaction token for payment A cannot approve payment B.
 * Several bindings may be stacked; all must hold.
 */
export function ClaimMatchesParam(claim: string, param: string): MethodDecorator & ClassDecorator {
  return ((target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder = descriptor ? (descriptor.value as object) : target;
    const existing: ClaimParamBinding[] = Reflect.getMetadata(CLAIM_PARAM_BINDINGS, holder) ?? [];
    Reflect.defineMetadata(CLAIM_PARAM_BINDINGS, [...existing, { claim, param }], holder);
    return descriptor;
  }) as MethodDecorator & ClassDecorator;
}
