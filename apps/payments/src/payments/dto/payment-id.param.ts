import { ApiProperty } from '@nestjs/swagger';
import { IsWellFormedString } from '@zt/platform';
import { IsUUID } from 'class-validator';

export class PaymentIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  @IsWellFormedString()
  id: string;
}
