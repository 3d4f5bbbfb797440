import { Logger } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import {
  ErrorCode,
  ForbiddenError,
  ForwardingError,
  InvalidTokenError,
  ResourceNotFoundError,
} from '../errors/security-errors';
import { tokenFingerprint } from './token-fingerprint';
import { Rfc6750ExceptionFilter } from './rfc6750-exception.filter';

describe('Rfc6750ExceptionFilter: what the client sees and what the log sees', () => {
  const filter = new Rfc6750ExceptionFilter({ realm: 'bank' });
  let logged: string[];
  const render = (error: Error, headers: Record<string, unknown> = {}, url = '/accounts/1?access_token=secret') => {
    const reply = { headers: {} as Record<string, string>, statusCode: 0, body: '' };
    const response = {
      status: (s: number) => ((reply.statusCode = s), response),
      header: (n: string, v: string) => ((reply.headers[n] = v), response),
      send: (b: string) => ((reply.body = b), response),
    };
    const host = new ExecutionContextHost([{ method: 'GET', url, headers }, response]);
    host.setType('http');
    filter.catch(error as never, host);
    return reply;
  };

  beforeEach(() => {
    logged = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((m: unknown) => void logged.push(String(m)));
  });
  afterEach(() => jest.restoreAllMocks());

  it('logs the code, method, path (no query), a token fingerprint and the caller, never the token', () => {
    const token = 'eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl';
    render(new InvalidTokenError(ErrorCode.EXPIRED, 'token expired'), { authorization: `bearer  ${token}` });
    expect(logged).toEqual([
      `ERR_JWT_EXPIRED: token expired [GET /accounts/1 token=${tokenFingerprint(token)} caller=-]`,
    ]);
    expect(logged.join()).not.toContain(token);
    expect(logged.join()).not.toContain('secret');
  });

  it('logs "-" when there is no usable token', () => {
    render(new InvalidTokenError(ErrorCode.TOKEN_MALFORMED, 'x'), {});
    render(new InvalidTokenError(ErrorCode.TOKEN_MALFORMED, 'x'), { authorization: 'a'.repeat(20_000) });
    expect(logged.every((l) => l.endsWith('token=- caller=-]'))).toBe(true);
  });

  it('renders problem+json, no-store, and the right challenge per error', () => {
    const invalid = render(new InvalidTokenError(ErrorCode.EXPIRED, 'x'));
    expect(invalid).toMatchObject({
      statusCode: 401,
      headers: {
        'WWW-Authenticate': 'Bearer realm="bank", error="invalid_token"',
        'Cache-Control': 'no-store',
        'Content-Type': 'application/problem+json',
      },
    });
    expect(JSON.parse(invalid.body)).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'The access token is invalid',
    });
    const forbidden = render(new ForbiddenError(ErrorCode.CLAIM_MISMATCH, 'x'));
    expect(forbidden.headers['WWW-Authenticate']).toBeUndefined();
    expect(JSON.parse(forbidden.body).title).toBe('Forbidden');
    expect(JSON.parse(render(new ResourceNotFoundError()).body)).toMatchObject({
      status: 404,
      title: 'Not Found',
      detail: 'Resource not found',
    });
    expect(JSON.parse(render(new ForwardingError(ErrorCode.UPSTREAM_FORBIDDEN, 'x', 403)).body)).toMatchObject({
      status: 502,
      title: 'Bad Gateway',
    });
  });

  it('leaves non-HTTP contexts to other filters', () => {
    const host = new ExecutionContextHost([{}, {}]);
    host.setType('rpc');
    const error = new InvalidTokenError(ErrorCode.EXPIRED, 'x');
    expect(() => filter.catch(error, host)).toThrow(error);
  });
});
