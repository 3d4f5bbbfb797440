import { Controller, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ClaimMatchesParam } from './claim-matches-param.decorator';
import { Public } from './public.decorator';
import { AnyScope, Scopes } from './scopes.decorator';
import { RouteRequirementsCache } from './route-requirements';

@Controller('payments')
@Scopes('payments:read')
@ClaimMatchesParam('region', 'region')
class PaymentsController {
  @Get(':region/:id')
  @ClaimMatchesParam('transaction_id', 'id')
  @ClaimMatchesParam('sub', 'owner')
  approve(): void {}

  @Get('status')
  @Public()
  status(): void {}

  @Get('search')
  @AnyScope('payments:read', 'payments:admin')
  search(): void {}
}

@Controller('plain')
class PlainController {
  @Get()
  list(): void {}
}

/** What the guards enforce comes from here: a binding or scope lost on the way is a rule not enforced. */
describe('RouteRequirementsCache', () => {
  const reflector = new Reflector();
  const of = (controller: new () => object, method: string) => {
    const cache = new RouteRequirementsCache(reflector);
    return cache.get(Reflect.get(controller.prototype, method) as () => void, controller);
  };

  it('combines the @ClaimMatchesParam bindings of the class and the method', () => {
    expect(of(PaymentsController, 'approve').claimParams).toEqual(
      expect.arrayContaining([
        { claim: 'transaction_id', param: 'id' },
        { claim: 'sub', param: 'owner' },
        { claim: 'region', param: 'region' },
      ]),
    );
    expect(of(PaymentsController, 'approve').claimParams).toHaveLength(3);
    expect(of(PaymentsController, 'status').claimParams).toEqual([{ claim: 'region', param: 'region' }]);
  });

  it('lets method scopes override class scopes, and marks only @Public() routes public', () => {
    expect(of(PaymentsController, 'approve')).toMatchObject({
      isPublic: false,
      scopes: { mode: 'all', scopes: ['payments:read'] },
    });
    expect(of(PaymentsController, 'search').scopes).toEqual({
      mode: 'any',
      scopes: ['payments:read', 'payments:admin'],
    });
    expect(of(PaymentsController, 'status').isPublic).toBe(true);
  });

  it('has no requirement where nothing is declared', () => {
    expect(of(PlainController, 'list')).toEqual({ isPublic: false, scopes: undefined, claimParams: [] });
  });

  it('reads the metadata once per handler and hands out a frozen object', () => {
    const cache = new RouteRequirementsCache(reflector);
    const handler = PaymentsController.prototype.approve;
    const first = cache.get(handler, PaymentsController);
    expect(cache.get(handler, PaymentsController)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});
