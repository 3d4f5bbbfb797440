import { DynamicModule, Module } from '@nestjs/common';
import { TlsMaterialService } from './tls-material.service';

/** Makes the app's TlsMaterialService injectable everywhere (created by createService, before the app). */
@Module({})
export class TlsMaterialModule {
  static forService(service: TlsMaterialService): DynamicModule {
    return {
      module: TlsMaterialModule,
      global: true,
      providers: [{ provide: TlsMaterialService, useValue: service }],
      exports: [TlsMaterialService],
    };
  }
}
