import { Module } from '@nestjs/common';
import { OidcModule } from '../oidc/oidc.module';
import { UsersModule } from '../users/users.module';
import { InteractionsController } from './interactions.controller';
import { InteractionsService } from './interactions.service';

@Module({ imports: [OidcModule, UsersModule], controllers: [InteractionsController], providers: [InteractionsService] })
export class InteractionsModule {}
