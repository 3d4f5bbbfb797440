import { ForbiddenException } from '@nestjs/common';
import { ErrorCode, InvalidTokenError, MissingTokenError } from '@zt/security';
import { AuthorizationServerUnavailableError } from '../authorization-server/authorization-server-unavailable.error';
import { DeniedException, GatewayErrorCode, GatewayProblem, GatewayTokenError } from '../errors/gateway-errors';
import { accessDecision } from './access-decision';

describe('accessDecision', () => {
  it("allows an authorized API request (OK) and a request to the gateway's own routes (PUBLIC)", () => {
    expect(accessDecision({ upstream: 'http://users' }, 200, true)).toEqual({ decision: 'allow', reason: 'OK' });
    expect(accessDecision({}, 303, true)).toEqual({ decision: 'allow', reason: 'PUBLIC' });
  });

  it('names an error answer nothing explained by its status', () => {
    expect(accessDecision({ upstream: 'http://users' }, 404, true)).toEqual({ decision: 'deny', reason: 'HTTP_404' });
    expect(accessDecision({}, 500, true)).toEqual({ decision: 'error', reason: 'HTTP_500' });
  });

  it('takes the code of the failure, deny below 500 and error from 500', () => {
    expect(accessDecision({ failure: new MissingTokenError() }, 401, true)).toEqual({
      decision: 'deny',
      reason: ErrorCode.TOKEN_MISSING,
    });
    expect(accessDecision({ failure: new GatewayTokenError(GatewayErrorCode.TOKEN_INACTIVE, 'x') }, 401, true)).toEqual(
      { decision: 'deny', reason: 'ERR_TOKEN_INACTIVE' },
    );
    expect(accessDecision({ failure: new DeniedException(403, 'x', GatewayErrorCode.CSRF_ORIGIN) }, 403, true)).toEqual(
      { decision: 'deny', reason: 'CSRF_ORIGIN' },
    );
    expect(
      accessDecision({ failure: new DeniedException(503, 'x', GatewayErrorCode.RATE_LIMIT_STORE_DOWN) }, 503, true),
    ).toEqual({ decision: 'error', reason: 'RATE_LIMIT_STORE_DOWN' });
    expect(accessDecision({ failure: new GatewayProblem(502, 'UPSTREAM_500', 'x') }, 502, true)).toEqual({
      decision: 'error',
      reason: 'UPSTREAM_500',
    });
    expect(accessDecision({ failure: new AuthorizationServerUnavailableError('down') }, 503, true)).toEqual({
      decision: 'error',
      reason: 'AS_UNAVAILABLE',
    });
    expect(accessDecision({ failure: new ForbiddenException() }, 403, true)).toEqual({
      decision: 'deny',
      reason: 'HTTP_403',
    });
    expect(accessDecision({ failure: new TypeError('bug') }, 500, true)).toEqual({
      decision: 'error',
      reason: 'INTERNAL',
    });
  });

  it('makes an answer that never finished an error, keeping the failure that explains it', () => {
    expect(accessDecision({ upstream: 'http://users' }, 200, false)).toEqual({
      decision: 'error',
      reason: 'ANSWER_NOT_FINISHED',
    });
    expect(accessDecision({ failure: new InvalidTokenError(ErrorCode.EXPIRED, 'x') }, 401, false)).toEqual({
      decision: 'error',
      reason: ErrorCode.EXPIRED,
    });
    expect(accessDecision({ failure: new GatewayProblem(502, 'UPSTREAM_BODY_FAILED', 'x') }, 200, false)).toEqual({
      decision: 'error',
      reason: 'UPSTREAM_BODY_FAILED',
    });
  });
});
