import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { assertOwnedBy, type Principal } from '@zt/security';
import { Repository } from 'typeorm';
import { Account } from './account.entity';

@Injectable()
export class AccountsService {
  constructor(@InjectRepository(Account) private readonly accounts: Repository<Account>) {}

  listOwnedBy(principal: Principal): Promise<Account[]> {
    return this.accounts.find({ where: { ownerSub: principal.sub }, order: { createdAt: 'ASC' } });
  }

  /** One account, only to its owner: someone else's account answers exactly like a missing one. */
  async getOwned(principal: Principal, id: string): Promise<Account> {
    const account = await this.accounts.findOneBy({ id });
    assertOwnedBy(principal, account?.ownerSub);
    return account!;
  }
}
