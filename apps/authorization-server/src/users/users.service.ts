import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AuthorizationServerConfig } from '../config/authorization-server-config';
import { AUTHORIZATION_SERVER_CONFIG } from '../config/authorization-server-config.token';
import { PRIVILEGED_SCOPES } from '../scopes/api-scopes';
import { DEV_USERS } from './dev-users';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password-hasher';
import { User, UsersRepository } from './users.repository';

/** Sign-in checks and the profile facts tokens carry (region, privileged scopes). */
@Injectable()
export class UsersService implements OnModuleInit {
  constructor(
    private readonly users: UsersRepository,
    @Inject(AUTHORIZATION_SERVER_CONFIG) private readonly config: AuthorizationServerConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.production) return;
    for (const { password, ...user } of DEV_USERS) {
      if (await this.users.findBySub(user.sub)) continue;
      await this.users.insertIfMissing({
        ...user,
        privilegedScopes: [...user.privilegedScopes],
        passwordHash: await hashPassword(password),
      });
    }
  }

  /** The user when the password matches; the same work is done for unknown names (no user enumeration by timing). */
  async authenticate(username: string, password: string): Promise<User | undefined> {
    const user = await this.users.findByUsername(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    return ok && user ? user : undefined;
  }

  findBySub(sub: string): Promise<User | undefined> {
    return this.users.findBySub(sub);
  }

  findByUsername(username: string): Promise<User | undefined> {
    return this.users.findByUsername(username);
  }

  /** Drops the privileged scopes a user does not hold (e.g. users:admin for anyone but admin). */
  allowedScopes(user: User, requested: string[]): { granted: string[]; refused: string[] } {
    const refused = requested.filter(
      (scope) => PRIVILEGED_SCOPES.includes(scope as never) && !user.privilegedScopes.includes(scope),
    );
    return { granted: requested.filter((scope) => !refused.includes(scope)), refused };
  }
}
