import { applyDecorators } from '@nestjs/common';
import { NotEquals, ValidateIf, ValidationOptions } from 'class-validator';

/**
 * A property the client may leave out, but not set to `null`. `@IsOptional()` skips validation
 * for `null` too, so a `null` would reach the service and then a NOT NULL column (a 5xx): use this
 * instead for every optional field whose column is not nullable. (A field where `null` means
 * "clear" would use `@IsOptional()` on purpose, with a nullable column and a test.)
 */
export function OptionalNotNull(options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    ValidateIf((_object, value) => value !== undefined),
    NotEquals(null, { message: '$property must not be null (leave it out instead)', ...options }),
  );
}
