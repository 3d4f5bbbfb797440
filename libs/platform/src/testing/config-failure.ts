import { ConfigValidationError } from '../config/config-validation.error';

/** The configuration error `read` throws; fails the test when it throws none or another kind. */
export function configFailure(read: () => unknown): ConfigValidationError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return error as ConfigValidationError;
  }
  throw new Error('expected a configuration error');
}
