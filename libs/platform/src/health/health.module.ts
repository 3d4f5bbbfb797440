import { DynamicModule, Module, Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { KafkaHealthIndicator } from '../kafka/kafka-health.indicator';
import { HealthController } from './health.controller';

@Module({})
export class HealthModule {
  static forService(options: { kafka: boolean }): DynamicModule {
    const providers: Provider[] = options.kafka ? [KafkaHealthIndicator] : [];
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers,
    };
  }
}
