import { extractBearerToken } from './bearer-token';

const outcome = (header: string | string[] | undefined, max = 50) => {
  try {
    return `token:${extractBearerToken(header, max)}`;
  } catch (e) {
    const { name, code, message } = e as { name: string; code: string; message: string };
    return `${name}:${code}:${message.length > 0}`;
  }
};

describe('extractBearerToken', () => {
  it('reads "Bearer <token>" in any case, trimming spaces', () => {
    expect(outcome('Bearer a.b.c')).toBe('token:a.b.c');
    expect(outcome('bEaReR    a.b.c  ')).toBe('token:a.b.c');
  });

  it('treats no header and other schemes as a missing token', () => {
    for (const h of [undefined, '', 'Basic abc', 'Bearerabc', 'DPoP a.b.c', ' Bearer a.b.c']) {
      expect(outcome(h)).toBe('MissingTokenError:ERR_TOKEN_MISSING:true');
    }
  });

  it('logs an empty header as no token, not as another scheme', () => {
    const reason = (header: string | undefined) => {
      try {
        extractBearerToken(header, 50);
        return 'accepted';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(reason('')).toBe('no bearer token in the Authorization header');
    expect(reason(undefined)).toBe('no bearer token in the Authorization header');
    expect(reason('Basic abc')).toBe('Authorization header uses another scheme');
  });

  it('refuses repeated headers and a bare scheme', () => {
    expect(outcome(['Bearer a', 'Bearer b'])).toBe('InvalidRequestError:ERR_TOKEN_MALFORMED:true');
    expect(outcome('Bearer')).toBe('InvalidTokenError:ERR_TOKEN_MALFORMED:true');
    expect(outcome('Bearer    ')).toBe('InvalidTokenError:ERR_TOKEN_MALFORMED:true');
  });

  it('refuses a header longer than the limit before parsing it', () => {
    expect(outcome(`Bearer ${'a'.repeat(43)}`)).toBe(`token:${'a'.repeat(43)}`);
    expect(outcome(`Bearer ${'a'.repeat(44)}`)).toBe('InvalidRequestError:ERR_AUTH_HEADER_TOO_LARGE:true');
    expect(outcome(`Basic ${'a'.repeat(60)}`)).toBe('InvalidRequestError:ERR_AUTH_HEADER_TOO_LARGE:true');
  });
});
