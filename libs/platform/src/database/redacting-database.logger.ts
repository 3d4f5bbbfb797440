import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/** What PostgreSQL tells about a failed statement that names no value (pg's DatabaseError fields). */
interface DatabaseErrorFields {
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  routine?: string;
}

/**
 * TypeORM's own loggers print a failed query WITH its parameters (names, e-mail addresses,
 * amounts) and PostgreSQL's message, which can quote the offending value ("invalid input syntax
 * for type uuid: ..."). This one keeps what locates the failure and nothing a user typed: the
 * SQLSTATE, the constraint/table/column it names, and the statement text with its placeholders.
 * Successful queries are not logged at all (that is what `logging: ['error']` meant).
 */
export class RedactingDatabaseLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('Database');

  logQueryError(error: string | Error, query: string): void {
    const fields: DatabaseErrorFields = typeof error === 'string' ? {} : (error as Error & DatabaseErrorFields);
    const located = (['code', 'constraint', 'table', 'column', 'routine'] as const)
      .filter((key) => fields[key])
      .map((key) => `${key}=${fields[key]}`)
      .join(' ');
    this.logger.error(`query failed (${located || 'no SQLSTATE'}): ${statementOnly(query)}`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${statementOnly(query)}`);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }

  logQuery(): void {
    // Successful statements are not logged (they would carry parameters in a custom logger's hands).
  }

  logSchemaBuild(): void {
    // The schema changes only through migrations, which logMigration reports.
  }
}

/**
 * The statement text: TypeORM sends values as bind parameters ($1, $2, ...), so the text holds
 * none; it is cut to keep one log line short.
 */
function statementOnly(query: string): string {
  const oneLine = query.replace(/\s+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}...` : oneLine;
}
