import { Module } from '@nestjs/common';
import { PlatformModule } from '@zt/platform';
import { GatewayModule } from './gateway.module';

/**
 * The gateway keeps no data of its own: its health is its own liveness. Its access audit line
 * replaces the platform's per-request log line.
 */
@Module({
  imports: [PlatformModule.forService({ name: 'gateway', defaultPort: 8080, requestLog: false }), GatewayModule],
})
export class AppModule {}
