import { Module } from '@nestjs/common';
import { PlatformModule } from '@zt/platform';

/** The gateway keeps no data of its own: its health is its own liveness. */
@Module({
  imports: [PlatformModule.forService({ name: 'gateway', defaultPort: 8080 })],
})
export class AppModule {}
