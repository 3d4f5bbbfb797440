import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { PlatformConfig } from '../config/platform-config';
import { PLATFORM_CONFIG } from '../config/platform-config.token';
import { kafkaSsl } from './kafka-ssl';

const CHECK_TIMEOUT_MS = 3000;

/**
 * Reports whether the Kafka cluster answers a metadata request. One admin connection is
 * kept for the life of the process, so a health probe does not open a new socket each time.
 */
@Injectable()
export class KafkaHealthIndicator implements OnModuleDestroy {
  private admin?: Admin;
  private connecting?: Promise<void>;

  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  async isHealthy(key = 'kafka') {
    const indicator = this.health.check(key);
    try {
      const cluster = await withTimeout(this.describe(), CHECK_TIMEOUT_MS);
      return indicator.up({ brokers: cluster.brokers.length });
    } catch (error) {
      this.reset();
      return indicator.down({ message: (error as Error).message });
    }
  }

  async onModuleDestroy() {
    await this.admin?.disconnect().catch(() => undefined);
  }

  private async describe() {
    if (!this.admin) {
      const kafka = new Kafka({
        clientId: `${this.config.service}-health`,
        brokers: this.config.kafkaBrokers!,
        ssl: kafkaSsl(this.config.tls),
        logLevel: logLevel.NOTHING,
        connectionTimeout: CHECK_TIMEOUT_MS,
        retry: { retries: 0 },
      });
      this.admin = kafka.admin();
      this.connecting = this.admin.connect();
    }
    await this.connecting;
    return this.admin.describeCluster();
  }

  private reset() {
    const admin = this.admin;
    this.admin = undefined;
    this.connecting = undefined;
    admin?.disconnect().catch(() => undefined);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
