import { Logger } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DatabaseErrorFilter, statusForSqlState } from './database-error.filter';

/** A failed query as TypeORM reports one from pg: the driver's error carries SQLSTATE and names. */
function queryFailed(fields: Record<string, string>): QueryFailedError {
  const driverError = Object.assign(
    new Error('new row for relation "payments" violates check constraint "payments_check"'),
    {
      detail: 'Failing row contains (secret@example.test, a11ce000-0000-4000-8000-000000000001).',
      ...fields,
    },
  );
  return new QueryFailedError(
    'INSERT INTO "payments" VALUES ($1, $2)',
    ['secret@example.test', 'a11ce000'],
    driverError,
  );
}

function render(exception: QueryFailedError, type = 'http') {
  const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
  const reply = {
    status: (s: number) => ((sent.status = s), reply),
    header: (k: string, v: string) => ((sent.headers[k] = v), reply),
    send: (b: unknown) => ((sent.body = b), reply),
  };
  const request = {
    method: 'POST',
    url: '/users/usr_alice?email=secret@example.test',
    routeOptions: { url: '/users/:sub' },
  };
  const fallback = { reply: jest.fn(), isHeadersSent: () => false, end: jest.fn() };
  const host = {
    getType: () => type,
    switchToHttp: () => ({ getResponse: () => reply, getRequest: () => request }),
    getArgByIndex: (i: number) => [request, reply][i],
  };
  new DatabaseErrorFilter(fallback as never).catch(exception, host as never);
  return { sent, fallback };
}

describe('DatabaseErrorFilter', () => {
  let logged: jest.SpyInstance;
  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it.each([
    ['23505', 409], // unique
    ['23514', 422], // check
    ['23502', 422], // not null
    ['23503', 422], // foreign key
    ['22001', 422], // value too long
    ['22P02', 422], // invalid text representation
    ['22021', 422], // a NUL byte in text
  ])('answers SQLSTATE %s with a %i problem', (code, status) => {
    expect(statusForSqlState(code)).toBe(status);
    const { sent } = render(queryFailed({ code, constraint: 'payments_check', table: 'payments' }));
    expect(sent.status).toBe(status);
    expect(sent.headers['content-type']).toBe('application/problem+json');
    expect(sent.body).toMatchObject({ type: 'about:blank', status, detail: expect.any(String) });
  });

  it('tells the client nothing of the database: no SQL, no constraint, table or value', () => {
    const { sent } = render(
      queryFailed({ code: '23514', constraint: 'payments_check', table: 'payments', column: 'owner_sub' }),
    );
    const text = JSON.stringify(sent.body);
    for (const internal of [
      'payments_check',
      'payments',
      'owner_sub',
      'INSERT',
      'secret@example.test',
      'a11ce000',
      'violates',
      '23514',
    ]) {
      expect(text).not.toContain(internal);
    }
  });

  it('logs the violation as a defect: error level, constraint and route pattern, never values', () => {
    render(
      queryFailed({
        code: '23502',
        constraint: 'user_profiles_email_not_null',
        table: 'user_profiles',
        column: 'email',
      }),
    );
    expect(logged).toHaveBeenCalledTimes(1);
    const entry = logged.mock.calls[0][0];
    expect(entry).toMatchObject({
      sqlState: '23502',
      constraint: 'user_profiles_email_not_null',
      table: 'user_profiles',
      column: 'email',
      route: 'POST /users/:sub',
    });
    expect(JSON.stringify(entry)).not.toMatch(/secret@example|usr_alice|a11ce000|Failing row/);
  });

  it('leaves a failure that is not the data’s fault (a deadlock, a lost connection) to the default 500', () => {
    const { sent, fallback } = render(queryFailed({ code: '40P01' }));
    expect(sent.status).toBeUndefined();
    expect(fallback.reply).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ statusCode: 500 }), 500);
    expect(statusForSqlState(undefined)).toBeUndefined();
    expect(statusForSqlState('08006')).toBeUndefined();
  });
});
