import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class AccountIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}
