import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import type { RequestContext } from '../http/request-context';

/** One access-audit line: who, what, which decision and why. Never a token, cookie or body. */
export interface AccessEntry {
  requestId: string;
  clientId?: string;
  sub?: string;
  method: string;
  route: string;
  decision: RequestContext['decision'];
  reason: string;
  status: number;
  latencyMs: number;
  tokenHash?: string;
}

/**
 * The access audit: one JSON line per request on its own logger (not the app log, whose level an
 * operator may turn down), so an auditor can reconstruct every decision the gateway made.
 */
@Injectable()
export class AccessLog implements OnApplicationShutdown {
  private logger: Logger | undefined;
  private destination: DestinationStream | undefined;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    if (config.accessLog) this.useDestination(pino.destination({ dest: 1, sync: false }));
  }

  /** Where lines go (stdout by default; tests read them from a stream). */
  useDestination(destination: DestinationStream): void {
    this.destination = destination;
    this.logger = pino(
      { base: { service: 'gateway', log: 'access' }, messageKey: 'message', timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } },
      destination,
    );
  }

  /** Lines buffered by the asynchronous destination are written before the process ends. */
  onApplicationShutdown(): void {
    const destination = this.destination as { flushSync?: () => void } | undefined;
    try {
      destination?.flushSync?.();
    } catch {
      // nothing buffered, or stdout already closed
    }
  }

  record(entry: AccessEntry): void {
    this.logger?.info(entry, 'access');
  }
}
