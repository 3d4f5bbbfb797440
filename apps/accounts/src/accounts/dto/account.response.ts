import { ApiProperty } from '@nestjs/swagger';
import { formatMinor } from '@zt/contracts';
import { Account } from '../account.entity';

export class AccountResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ example: '1000.00', description: 'decimal string, never a float' }) balance: string;
  @ApiProperty({ example: '100000', description: 'balance in integer minor units' }) balanceMinor: string;

  static from(account: Account): AccountResponse {
    return {
      id: account.id,
      currency: account.currency,
      balance: formatMinor(account.balanceMinor, account.currency),
      balanceMinor: account.balanceMinor,
    };
  }
}
