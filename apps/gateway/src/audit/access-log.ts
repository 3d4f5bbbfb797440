import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import pino from 'pino';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { AccessEntry, formatAccessLine } from './access-line';

/** Where audit lines go: stdout by default, any writable in tests. */
export interface AccessLogDestination {
  write(line: string): unknown;
}

/**
 * The access audit: one JSON line per request on stdout, apart from the app log (whose level an
 * operator may turn down), so an auditor can reconstruct every decision the gateway made.
 * Lines are written in blocks of at least 4 KiB (one write per ~15 requests, not one each),
 * synchronously (no thread-pool hop per block; a full stdout pipe slows the gateway down instead
 * of dropping audit lines); whatever is buffered goes out within a second and at shutdown.
 */
@Injectable()
export class AccessLog implements OnApplicationShutdown {
  private destination: AccessLogDestination | undefined;
  private stdout: ReturnType<typeof pino.destination> | undefined;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    if (!config.accessLog) return;
    this.stdout = pino.destination({ dest: 1, sync: true, minLength: 4096, periodicFlush: 1000 });
    this.destination = this.stdout;
  }

  useDestination(destination: AccessLogDestination): void {
    this.destination = destination;
  }

  record(entry: AccessEntry): void {
    this.destination?.write(formatAccessLine(entry, new Date()));
  }

  onApplicationShutdown(): void {
    try {
      this.stdout?.flushSync();
    } catch {
      // nothing buffered, or stdout already closed
    }
    // A request finishing after this point is not written to a closed stream.
    this.destination = undefined;
    this.stdout?.destroy();
  }
}
