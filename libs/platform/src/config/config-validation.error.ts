/**
 * A bad or missing setting. Its message is one line that names the variable, so an
 * operator can fix the deployment without reading a stack trace. It never echoes the
 * value of a secret setting.
 */
export class ConfigValidationError extends Error {
  readonly code = 'ERR_CONFIG_INVALID';

  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigValidationError';
  }
}
