import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorFunction, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { PlatformConfig } from '../config/platform-config';
import { PLATFORM_CONFIG } from '../config/platform-config.token';
import { KafkaHealthIndicator } from '../kafka/kafka-health.indicator';
import { Public } from '@zt/security';

/**
 * `GET /health`: 200 when every dependency this app has answers, 503 otherwise. It says
 * which one is down and nothing else (no versions, no hosts), since it is unauthenticated.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly checks: HealthIndicatorFunction[] = [];

  constructor(
    private readonly health: HealthCheckService,
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
    @Optional() database?: TypeOrmHealthIndicator,
    @Optional() kafka?: KafkaHealthIndicator,
  ) {
    if (config.databaseUrl && database) this.checks.push(() => database.pingCheck('database', { timeout: 3000 }));
    if (config.kafkaBrokers && kafka) this.checks.push(() => kafka.isHealthy('kafka'));
  }

  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.health.check(this.checks);
  }
}
