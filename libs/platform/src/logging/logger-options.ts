import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';
import { PlatformConfig } from '../config/platform-config';

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** A caller's request id is kept when it is well formed, so one id follows a request across hops. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Structured JSON logs, one line per event. Request logs carry method, path (never the
 * query string) and request id; credentials and cookies are redacted at the source, so a
 * token cannot reach a log even if a serializer changes.
 */
export function loggerOptions(config: PlatformConfig, { requestLog = true } = {}): Params {
  return {
    // Without the request log, the pino-http middleware is bound to no route: no per-request cost.
    ...(requestLog ? {} : { forRoutes: [] }),
    pinoHttp: {
      level: config.logLevel,
      base: { service: config.service },
      messageKey: 'message',
      timestamp: stdTimeFunctions.isoTime,
      genReqId: (req) => requestIdFor(req),
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.token',
          '*.password',
        ],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      autoLogging: requestLog ? { ignore: (req) => (req.url ?? '').startsWith('/health') } : false,
    },
  };
}
