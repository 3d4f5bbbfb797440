import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsWellFormedString, OptionalNotNull } from '@zt/platform';
import { IsEmail, IsString, Length, Matches } from 'class-validator';

/**
 * What a user may change about themselves. Anything else in the body (`sub`, `region`,
 * timestamps) is refused by the global ValidationPipe (forbidNonWhitelisted): no mass assignment.
 * Both fields may be left out but not set to `null`: their columns are NOT NULL and a profile
 * always has a name and an address (there is nothing to "clear"). A field's validators run
 * bottom-up and stop at the first error: `@IsWellFormedString()` is last so it runs first (see
 * its comment).
 */
export class UpdateProfileDto {
  @ApiPropertyOptional({ example: 'Alice Example', minLength: 1, maxLength: 80 })
  @OptionalNotNull()
  @Matches(/^[^\p{C}]+$/u, { message: 'displayName must not contain control characters' })
  @Length(1, 80)
  @IsString()
  @IsWellFormedString()
  displayName?: string;

  @ApiPropertyOptional({ example: 'alice@example.com', format: 'email', minLength: 3, maxLength: 254 })
  @OptionalNotNull()
  @Length(3, 254)
  @IsEmail()
  @IsWellFormedString()
  email?: string;
}
