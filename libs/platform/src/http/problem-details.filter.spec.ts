import {
  BadRequestException,
  ConflictException,
  HttpException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ProblemDetailsFilter } from './problem-details.filter';

function render(exception: HttpException) {
  const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
  const reply = {
    status: (s: number) => ((sent.status = s), reply),
    header: (k: string, v: string) => ((sent.headers[k] = v), reply),
    send: (b: unknown) => ((sent.body = b), reply),
    getHeader: (k: string) => sent.headers[k],
  };
  new ProblemDetailsFilter().catch(exception, { switchToHttp: () => ({ getResponse: () => reply }) } as never);
  return sent;
}

describe('ProblemDetailsFilter', () => {
  it('renders validation errors as a problem with the list of errors', () => {
    const sent = render(
      new BadRequestException(['amount must be a decimal string', 'property status should not exist']),
    );
    expect(sent.status).toBe(400);
    expect(sent.headers['content-type']).toBe('application/problem+json');
    expect(sent.body).toEqual({
      type: 'about:blank',
      title: 'Bad request',
      status: 400,
      errors: ['amount must be a decimal string', 'property status should not exist'],
    });
  });

  it('keeps a single message as the detail', () => {
    expect(render(new ConflictException('Idempotency-Key reused with a different request')).body).toMatchObject({
      status: 409,
      title: 'Conflict',
      detail: 'Idempotency-Key reused with a different request',
    });
    expect(render(new NotFoundException()).body).toMatchObject({ status: 404, title: 'Not found' });
  });
});

describe('ProblemDetailsFilter on 503', () => {
  it('tells the client when to retry', () => {
    expect(render(new ServiceUnavailableException('try again shortly')).headers['retry-after']).toBe('5');
  });
});
