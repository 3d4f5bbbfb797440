import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length, Matches } from 'class-validator';

/**
 * What a user may change about themselves. Anything else in the body (`sub`, `region`,
 * timestamps) is refused by the global ValidationPipe (forbidNonWhitelisted): no mass assignment.
 */
export class UpdateProfileDto {
  @ApiPropertyOptional({ example: 'Alice Example', maxLength: 80 })
  @IsOptional()
  @IsString()
  @Length(1, 80)
  @Matches(/^[^\p{C}]+$/u, { message: 'displayName must not contain control characters' })
  displayName?: string;

  @ApiPropertyOptional({ example: 'alice@example.com' })
  @IsOptional()
  @IsEmail()
  @Length(3, 254)
  email?: string;
}
