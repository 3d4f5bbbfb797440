import { Module } from '@nestjs/common';
import { PlatformModule } from '@zt/platform';
import { GatewayModule } from './gateway.module';

/** The gateway keeps no data of its own: its health is its own liveness. */
@Module({
  imports: [PlatformModule.forService({ name: 'gateway', defaultPort: 8080 }), GatewayModule],
})
export class AppModule {}
