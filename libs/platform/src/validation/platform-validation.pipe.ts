import {
  ArgumentMetadata,
  BadRequestException,
  HttpException,
  Injectable,
  Logger,
  ValidationPipe,
} from '@nestjs/common';

/**
 * The platform's global validation: whitelisted DTOs (an unknown field is a 400: no mass
 * assignment), transformed into their classes, and one error per field (`stopAtFirstError`: a
 * validator after a failed `@IsWellFormedString()` never sees the ill-formed string, and a
 * body of many bad fields answers with a short list).
 *
 * A validator or the transformer that throws instead of answering (class-validator's isEmail
 * throws URIError on a lone surrogate) means the input was malformed in a way it did not
 * foresee: that is the client's 400, never a 5xx. It is logged as a defect (a rule is missing
 * before that validator), without the value.
 */
@Injectable()
export class PlatformValidationPipe extends ValidationPipe {
  private readonly logger = new Logger('PlatformValidationPipe');

  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: true });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // ValidationPipe turns a body of `null` (or a bare number or string) into an empty DTO, which
    // then passes as "nothing to change": a body declared as a DTO class must be a JSON object.
    if (
      metadata.type === 'body' &&
      this.toValidate(metadata) &&
      (value === null || typeof value !== 'object' || Array.isArray(value))
    ) {
      throw new BadRequestException('the request body must be a JSON object');
    }
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (error instanceof HttpException) throw error;
      this.logger.error({
        msg: 'validation threw instead of refusing the input (a missing validation rule)',
        error: error instanceof Error ? error.name : typeof error,
        argument: metadata.type,
        dto: metadata.metatype?.name,
      });
      throw new BadRequestException(`the request ${metadata.type} could not be validated`);
    }
  }
}
