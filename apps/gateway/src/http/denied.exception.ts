import { HttpException } from '@nestjs/common';

/**
 * A refusal that is not about the token itself (CSRF, region, content type, path): the client gets
 * a problem+json with a generic detail, the audit line gets the stable `reason`.
 */
export class DeniedException extends HttpException {
  constructor(
    status: number,
    detail: string,
    readonly reason: string,
  ) {
    super({ message: detail }, status);
  }
}
