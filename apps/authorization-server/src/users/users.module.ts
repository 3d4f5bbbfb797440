import { Module } from '@nestjs/common';
import { LoginThrottle } from './login-throttle';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({ providers: [UsersRepository, UsersService, LoginThrottle], exports: [UsersService, LoginThrottle] })
export class UsersModule {}
