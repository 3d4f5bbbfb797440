import { ArgumentsHost, Catch, HttpStatus, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { problem, sendProblem } from './problem';

/** The PostgreSQL fields of a failed query that are safe to log: names, never values. */
interface PgErrorFields {
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
}

/**
 * What a client is told for a SQLSTATE the database refused its data with (PostgreSQL
 * Appendix A), or undefined when the failure is not the data's fault (a lost connection, a
 * deadlock, a syntax error): those stay 5xx. 23505 is a conflict with a row that exists
 * (409); the rest of class 23 (check 23514, not-null 23502, foreign key 23503, ...) and class 22
 * (too long 22001, invalid text 22P02, out of range 22003, NUL byte 22021, ...) mean the
 * request's data cannot be stored (422).
 */
export function statusForSqlState(code: string | undefined): number | undefined {
  if (!code) return undefined;
  if (code === '23505') return HttpStatus.CONFLICT;
  if (code.startsWith('23') || code.startsWith('22')) return HttpStatus.UNPROCESSABLE_ENTITY;
  return undefined;
}

const DETAIL: Record<number, string> = {
  [HttpStatus.CONFLICT]: 'the request conflicts with data that already exists',
  [HttpStatus.UNPROCESSABLE_ENTITY]: 'the request breaks a rule of the data it changes',
};

/**
 * A constraint violation that reaches the database means validation missed a rule the
 * database enforces: the client gets a clear 409/422 problem (never a 5xx, never SQL or a
 * constraint name), and the service logs it at error level as a defect to fix, with the
 * SQLSTATE, the constraint and the route pattern, never the values (they may be personal data).
 * Any other failed query is handed to Nest's default handling, so it stays the 500 it is
 * (construct the filter with the app's HTTP adapter for that, as Nest's docs say).
 */
@Catch(QueryFailedError)
export class DatabaseErrorFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('DatabaseErrorFilter');

  override catch(exception: QueryFailedError, host: ArgumentsHost): void {
    const fields = (exception.driverError ?? {}) as PgErrorFields;
    const status = statusForSqlState(fields.code);
    if (host.getType() !== 'http') throw exception;
    if (status === undefined) return super.catch(exception, host);
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    this.logger.error({
      msg: 'database refused a request that validation let through (a missing validation rule)',
      sqlState: fields.code,
      constraint: fields.constraint,
      table: fields.table,
      column: fields.column,
      // The route pattern (/users/:sub), not the URL: a path may carry personal data.
      route: `${request.method} ${request.routeOptions?.url ?? 'unknown route'}`,
    });
    sendProblem(http.getResponse<FastifyReply>(), problem(status, { detail: DETAIL[status] }));
  }
}
