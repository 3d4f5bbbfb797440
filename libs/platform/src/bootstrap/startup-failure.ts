import { ConfigValidationError } from '../config/config-validation.error';

/**
 * One line for the operator. A configuration error is shown as itself; anything else keeps
 * its message (the stack is only useful with LOG_LEVEL=debug).
 */
export function describeStartupFailure(error: unknown): string {
  for (let cause: unknown = error; cause; cause = (cause as { cause?: unknown }).cause) {
    // Any library's configuration error counts, recognised by its stable code (the
    // security library has its own, since it is copied without this one).
    if (cause instanceof ConfigValidationError || isConfigErrorCode((cause as { code?: unknown }).code)) {
      return (cause as Error).message;
    }
  }
  const err = error as Error;
  const detail = process.env.LOG_LEVEL === 'debug' ? `\n${err?.stack}` : '';
  return `start-up failed: ${err?.message ?? String(error)}${detail}`;
}

function isConfigErrorCode(code: unknown): boolean {
  return code === 'ERR_CONFIG_INVALID';
}
