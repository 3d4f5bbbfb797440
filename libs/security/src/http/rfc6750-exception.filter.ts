import { Catch, Inject, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { SECURITY_OPTIONS } from '../security.constants';
import type { SecurityOptions } from '../config/security-options';
import {
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  SecurityError,
} from '../errors/security-errors';
import { callerIdentityOf } from '../transport/peer-certificate';
import { callerLabel } from './caller-label';
import { tokenFingerprint } from './token-fingerprint';

interface HttpReply {
  status(code: number): HttpReply;
  header(name: string, value: string): HttpReply;
  send(body: string): unknown;
}

/**
 * Renders SecurityErrors per RFC 6750 §3 with RFC 9457 problem+json bodies. The client gets a
 * generic detail; the stable code and a token fingerprint go to the log. Only HTTP is handled here;
 * Kafka errors are rethrown for the dead-letter filter.
 */
@Catch(SecurityError)
export class Rfc6750ExceptionFilter implements ExceptionFilter<SecurityError> {
  private readonly logger = new Logger('Security');

  constructor(@Inject(SECURITY_OPTIONS) private readonly options: Pick<SecurityOptions, 'realm'>) {}

  catch(error: SecurityError, host: ArgumentsHost): unknown {
    if (host.getType() !== 'http') throw error;
    const request = host
      .switchToHttp()
      .getRequest<{ method?: string; url?: string; headers?: Record<string, unknown> }>();
    const reply = host.switchToHttp().getResponse<HttpReply>();
    const auth = request.headers?.authorization;
    const fingerprint =
      typeof auth === 'string' && auth.length < 16_384 ? tokenFingerprint(auth.replace(/^bearer +/i, '')) : undefined;
    this.logger.warn(
      `${error.toLogString()} [${request.method} ${request.url?.split('?')[0]} token=${fingerprint ?? '-'} ` +
        `caller=${callerLabel(callerIdentityOf(request))}]`,
    );

    const challenge = this.challenge(error);
    if (challenge) reply.header('WWW-Authenticate', challenge);
    reply.header('Cache-Control', 'no-store');
    reply.header('Content-Type', 'application/problem+json');
    reply.status(error.status);
    return reply.send(
      JSON.stringify({
        type: 'about:blank',
        title: TITLES[error.status] ?? 'Error',
        status: error.status,
        detail: error.clientDetail,
      }),
    );
  }

  /** Missing token: bare challenge with no error code (RFC 6750 §3.1); otherwise the matching code. */
  private challenge(error: SecurityError): string | undefined {
    const realm = `realm="${this.options.realm}"`;
    if (error instanceof InsufficientScopeError)
      return `Bearer ${realm}, error="insufficient_scope", scope="${error.requiredScopes.join(' ')}"`;
    if (error instanceof InvalidTokenError) return `Bearer ${realm}, error="invalid_token"`;
    if (error instanceof InvalidRequestError) return `Bearer ${realm}, error="invalid_request"`;
    if (error.status === 401) return `Bearer ${realm}`;
    return undefined;
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  502: 'Bad Gateway',
};
