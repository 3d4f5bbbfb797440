import { ValidateBy, ValidationOptions } from 'class-validator';

export const IS_WELL_FORMED_STRING = 'isWellFormedString';

/** ES2024's String.prototype.isWellFormed (Node 20+), not yet in the workspace's TypeScript lib. */
type Es2024String = string & { isWellFormed(): boolean };

/** A string without lone UTF-16 surrogates: one that can be stored, encoded as UTF-8 and echoed. */
export function isWellFormedString(value: unknown): value is string {
  return typeof value === 'string' && (value as Es2024String).isWellFormed();
}

/**
 * Refuses anything but a string of well-formed Unicode. A lone surrogate (`"\ud800"`) cannot be
 * encoded as UTF-8: PostgreSQL would refuse it and some validators throw on it (`isEmail` calls
 * `encodeURI`: URIError). Put it LAST in the list of a property's decorators: decorators apply
 * bottom-up, so it is registered, and run, first; with the platform's `stopAtFirstError` the
 * validators above it never see an ill-formed string.
 */
export function IsWellFormedString(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_WELL_FORMED_STRING,
      validator: {
        validate: (value) => isWellFormedString(value),
        defaultMessage: () => '$property must be a string of well-formed Unicode',
      },
    },
    options,
  );
}
