import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class PaymentIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}
