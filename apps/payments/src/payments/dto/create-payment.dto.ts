import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsUUID, Matches } from 'class-validator';

/** The only fields a client may send; `status`, `owner` and ids are the server's to decide. */
export class CreatePaymentDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  sourceAccountId: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  destinationAccountId: string;

  @ApiProperty({ example: '25.00', description: 'decimal string (never a JSON number), at most 2 decimals' })
  @Matches(/^(?!0+(\.0+)?$)\d{1,13}(\.\d{1,2})?$/, { message: 'amount must be a positive decimal string with at most 2 decimals' })
  amount: string;

  @ApiProperty({ example: 'EUR', enum: ['EUR', 'USD'] })
  @IsIn(['EUR', 'USD'])
  currency: string;
}
