import { Module } from '@nestjs/common';
import { DevKeysController } from './dev-keys.controller';
import { SigningKeysService } from './signing-keys.service';

@Module({ controllers: [DevKeysController], providers: [SigningKeysService], exports: [SigningKeysService] })
export class KeysModule {}
