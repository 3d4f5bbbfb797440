import { Logger } from '@nestjs/common';
import { RedactingDatabaseLogger } from './redacting-database.logger';

describe('RedactingDatabaseLogger', () => {
  let lines: string[];
  beforeEach(() => {
    lines = [];
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => void lines.push(String(message)));
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void lines.push(String(message)));
  });
  afterEach(() => jest.restoreAllMocks());

  it('logs a failed statement by SQLSTATE and constraint, never its parameters or the value PostgreSQL quotes', () => {
    const error = Object.assign(new Error('invalid input syntax for type uuid: "mallory@evil.example"'), {
      code: '22P02',
      table: 'user_profiles',
      column: 'email',
      parameters: ['Mallory', 'mallory@evil.example'],
    });
    new RedactingDatabaseLogger().logQueryError(error, 'UPDATE "user_profiles"\n  SET "email" = $1 WHERE "sub" = $2');
    expect(lines).toEqual([
      'query failed (code=22P02 table=user_profiles column=email): UPDATE "user_profiles" SET "email" = $1 WHERE "sub" = $2',
    ]);
    expect(lines.join('\n')).not.toMatch(/mallory|Mallory/);
  });

  it('keeps one line short and says so when a statement is cut', () => {
    new RedactingDatabaseLogger().logQuerySlow(1200, `SELECT ${'"a", '.repeat(200)}1`);
    expect(lines[0]!.length).toBeLessThan(350);
    expect(lines[0]).toMatch(/^slow query \(1200 ms\): SELECT .*\.\.\.$/);
  });

  it('logs nothing for successful statements, which would carry their parameters', () => {
    new RedactingDatabaseLogger().logQuery();
    expect(lines).toEqual([]);
  });
});
