import { ArgumentMetadata, BadRequestException, Logger } from '@nestjs/common';
import { IsEmail, IsString, Length, ValidateBy } from 'class-validator';
import { IsWellFormedString, isWellFormedString } from './is-well-formed-string.decorator';
import { OptionalNotNull } from './optional-not-null.decorator';
import { PlatformValidationPipe } from './platform-validation.pipe';

class ProfileChanges {
  @OptionalNotNull()
  @IsString()
  @Length(1, 80)
  @IsWellFormedString()
  displayName?: string;

  @OptionalNotNull()
  @IsEmail()
  @IsWellFormedString()
  email?: string;
}

class ThrowingValidatorDto {
  // A validator that throws instead of answering, like isEmail on a lone surrogate.
  @ValidateBy({
    name: 'throws',
    validator: {
      validate: () => {
        throw new URIError('URI malformed');
      },
    },
  })
  value: string;
}

const body = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype });

async function refusal(metatype: ArgumentMetadata['metatype'], value: unknown): Promise<string[]> {
  const error = await new PlatformValidationPipe().transform(value, body(metatype)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BadRequestException);
  const response = (error as BadRequestException).getResponse() as { message: string[] | string };
  return ([] as string[]).concat(response.message);
}

describe('isWellFormedString', () => {
  it('accepts well-formed strings, including astral characters, and refuses lone surrogates and non-strings', () => {
    expect(isWellFormedString('Alice 😀 Ünïcödé')).toBe(true);
    expect(isWellFormedString('')).toBe(true);
    for (const bad of ['\ud800', 'a\udc00b', '😀'[0], null, undefined, 5, ['x'], { a: 'x' }])
      expect(isWellFormedString(bad)).toBe(false);
  });
});

describe('PlatformValidationPipe with the platform decorators', () => {
  afterEach(() => jest.restoreAllMocks());

  it('accepts valid changes and leaves out what is left out', async () => {
    await expect(
      new PlatformValidationPipe().transform({ email: 'a@example.test' }, body(ProfileChanges)),
    ).resolves.toEqual({ email: 'a@example.test' });
    await expect(new PlatformValidationPipe().transform({}, body(ProfileChanges))).resolves.toEqual({});
  });

  it('refuses null in an optional field (@IsOptional would let it through)', async () => {
    expect(await refusal(ProfileChanges, { email: null })).toEqual([expect.stringContaining('email')]);
    expect(await refusal(ProfileChanges, { displayName: null })).toEqual([expect.stringContaining('displayName')]);
  });

  it('refuses a body that is not a JSON object (ValidationPipe made null an empty change)', async () => {
    for (const value of [null, 5, 'x', true, [], [{ email: 'a@example.test' }]]) {
      await expect(new PlatformValidationPipe().transform(value, body(ProfileChanges))).rejects.toMatchObject({
        response: { message: 'the request body must be a JSON object' },
      });
    }
  });

  it('refuses wrong types', async () => {
    for (const value of [5, true, ['a@example.test'], { a: 1 }]) {
      expect(await refusal(ProfileChanges, { email: value })).toEqual([
        'email must be a string of well-formed Unicode',
      ]);
    }
  });

  it('refuses a lone surrogate with a clear message before isEmail can throw on it', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    expect(await refusal(ProfileChanges, { email: '\ud800' })).toEqual([
      'email must be a string of well-formed Unicode',
    ]);
    expect(await refusal(ProfileChanges, { displayName: 'Al\udc00ice' })).toEqual([
      'displayName must be a string of well-formed Unicode',
    ]);
    expect(logged).not.toHaveBeenCalled();
  });

  it('turns a validator that throws into a 400, logged as a defect without the value', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    expect(await refusal(ThrowingValidatorDto, { value: 'secret@example.test' })).toEqual([
      'the request body could not be validated',
    ]);
    expect(logged).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(logged.mock.calls[0]?.[0])).toContain('URIError');
    expect(JSON.stringify(logged.mock.calls[0])).not.toContain('secret@example.test');
  });
});
