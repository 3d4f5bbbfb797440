import { ApiProperty } from '@nestjs/swagger';
import { IsWellFormedString } from '@zt/platform';
import { Matches } from 'class-validator';

export class SubParam {
  @ApiProperty({ example: 'usr_bob', pattern: '^[A-Za-z0-9_.:@-]{1,128}$' })
  @Matches(/^[A-Za-z0-9_.:@-]{1,128}$/, { message: 'sub must be 1 to 128 letters, digits or _.:@-' })
  @IsWellFormedString()
  sub: string;
}
