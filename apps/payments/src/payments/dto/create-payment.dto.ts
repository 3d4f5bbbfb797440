import { ApiProperty } from '@nestjs/swagger';
import { IsWellFormedString } from '@zt/platform';
import { IsIn, IsUUID, Matches } from 'class-validator';

/**
 * The only fields a client may send; `status`, `owner` and ids are the server's to decide. Every
 * field is required and a string: `null`, a number or an array is a 400. The rules of the
 * `payments` table are checked here or, when they span fields (the destination differs from the
 * source), by PaymentsService before any query. `@IsWellFormedString()` is last so it runs first.
 */
export class CreatePaymentDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  @IsWellFormedString()
  sourceAccountId: string;

  @ApiProperty({ format: 'uuid', description: 'must differ from sourceAccountId (422 otherwise)' })
  @IsUUID()
  @IsWellFormedString()
  destinationAccountId: string;

  // At most 13 integer digits: the amount in minor units stays well inside PostgreSQL's bigint.
  @ApiProperty({
    example: '25.00',
    pattern: '^\\d{1,13}(\\.\\d{1,2})?$',
    description: 'decimal string (never a JSON number), greater than 0, at most 2 decimals',
  })
  @Matches(/^(?!0+(\.0+)?$)\d{1,13}(\.\d{1,2})?$/, {
    message: 'amount must be a positive decimal string with at most 2 decimals',
  })
  @IsWellFormedString()
  amount: string;

  @ApiProperty({ example: 'EUR', enum: ['EUR', 'USD'] })
  @IsIn(['EUR', 'USD'])
  @IsWellFormedString()
  currency: string;
}
