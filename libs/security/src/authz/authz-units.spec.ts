import { ResourceNotFoundError } from '../errors/security-errors';
import type { Principal } from '../verification/principal';
import { assertOwnedBy } from './assert-owned-by';
import { assertClaimsMatchParams, assertScopes } from './authorization-rules';
import { attachPrincipal, principalFrom } from './current-principal.decorator';
import { AnyScope, Scopes } from './scopes.decorator';

const alice = {
  sub: 'alice',
  scopes: ['a', 'b'],
  claims: { sub: 'alice', transaction_id: 'p-1', n: 1 },
} as unknown as Principal;
const codeOf = (fn: () => void) => {
  try {
    fn();
    return 'OK';
  } catch (e) {
    return (e as { code?: string; message: string }).code ?? (e as Error).message;
  }
};

describe('authorization building blocks', () => {
  it('assertOwnedBy: only the owner passes; everything else is the same 404', () => {
    expect(codeOf(() => assertOwnedBy(alice, 'alice'))).toBe('OK');
    for (const owner of ['bob', '', undefined, null, 'ALICE']) {
      expect(() => assertOwnedBy(alice, owner)).toThrow(ResourceNotFoundError);
    }
    expect(() => assertOwnedBy(alice, 'bob')).toThrow('object is not owned by the caller or does not exist');
  });

  it('assertScopes: all-of and any-of with whole-string matches', () => {
    expect(codeOf(() => assertScopes(alice, undefined))).toBe('OK');
    expect(codeOf(() => assertScopes(alice, { mode: 'all', scopes: ['a', 'b'] }))).toBe('OK');
    expect(codeOf(() => assertScopes(alice, { mode: 'all', scopes: ['a', 'c'] }))).toBe('ERR_INSUFFICIENT_SCOPE');
    expect(codeOf(() => assertScopes(alice, { mode: 'any', scopes: ['c', 'b'] }))).toBe('OK');
    expect(codeOf(() => assertScopes(alice, { mode: 'any', scopes: ['c', 'd'] }))).toBe('ERR_INSUFFICIENT_SCOPE');
  });

  it('assertClaimsMatchParams: string claim equal to the string param, else 403', () => {
    expect(
      codeOf(() => assertClaimsMatchParams(alice, [{ claim: 'transaction_id', param: 'id' }], { id: 'p-1' })),
    ).toBe('OK');
    expect(codeOf(() => assertClaimsMatchParams(alice, undefined, undefined))).toBe('OK');
    for (const [bindings, params] of [
      [[{ claim: 'transaction_id', param: 'id' }], { id: 'p-2' }],
      [[{ claim: 'transaction_id', param: 'id' }], undefined],
      [[{ claim: 'transaction_id', param: 'id' }], { id: ['p-1'] }],
      [[{ claim: 'missing', param: 'id' }], { id: 'p-1' }],
      [[{ claim: 'n', param: 'id' }], { id: 1 }],
      [
        [
          { claim: 'transaction_id', param: 'id' },
          { claim: 'sub', param: 'owner' },
        ],
        { id: 'p-1', owner: 'bob' },
      ],
    ] as const) {
      expect(codeOf(() => assertClaimsMatchParams(alice, bindings as never, params as never))).toBe(
        'ERR_CLAIM_MISMATCH',
      );
    }
    expect(() => assertClaimsMatchParams(alice, [{ claim: 'missing', param: 'id' }], {})).toThrow(
      'claim missing does not match route param id',
    );
  });

  it('principals are attached per object and never found on anything else', () => {
    const request = {};
    attachPrincipal(request, alice);
    expect(principalFrom(request)).toBe(alice);
    for (const other of [{}, null, undefined, 'request', 42]) expect(principalFrom(other)).toBeUndefined();
  });

  it('@Scopes/@AnyScope refuse an empty or malformed list when applied', () => {
    expect(() => Scopes()).toThrow('@Scopes() needs one or more scope names without spaces');
    expect(() => AnyScope('a b')).toThrow('@AnyScope() needs one or more scope names without spaces');
    expect(() => Scopes('')).toThrow('@Scopes()');
    expect(() => Scopes(' ')).toThrow('@Scopes()');
    expect(() => Scopes('accounts:read', 'payments:read')).not.toThrow();
  });
});
