import fc from 'fast-check';
import { SecurityError } from '../errors/security-errors';
import { extractBearerToken } from '../http/bearer-token';
import { generateTestKey, signCompact, signHmac } from '../testing/test-keys';
import type { AccessTokenVerifier } from './access-token-verifier';
import { TestIssuer, verifierAgainst } from '../testing/verifier-test-setup';

/** The verifier's contract under random input: it rejects with a SecurityError, it never crashes. */
describe('AccessTokenVerifier: property-based (fast-check)', () => {
  let issuer: TestIssuer;
  let verifier: AccessTokenVerifier;
  let valid: string;
  const runs = { numRuns: 300 };

  const outcome = async (token: string) => {
    try {
      await verifier.verify(token);
      return 'accepted';
    } catch (error) {
      if (!(error instanceof SecurityError)) throw error; // a crash, not a rejection
      return 'rejected';
    }
  };

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    ({ verifier } = await verifierAgainst(issuer));
    valid = issuer.token({ scope: 'accounts:read payments:write' });
    expect(await outcome(valid)).toBe('accepted');
  });
  afterAll(() => issuer.stop());

  it('rejects arbitrary strings and dotted base64url junk', async () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_-]{0,60}$/);
    const token = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.tuple(segment, segment, segment).map((p) => p.join('.')),
    );
    await fc.assert(
      fc.asyncProperty(token, async (t) => (await outcome(t)) === 'rejected'),
      runs,
    );
  });

  it('rejects every single-character mutation, deletion or insertion of a valid token', async () => {
    const mutation = fc.record({
      index: fc.nat({ max: valid.length - 1 }),
      kind: fc.constantFrom('replace', 'delete', 'insert'),
      char: fc.constantFrom(...'ABCabc019_-.=+/ '.split('')),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ index, kind, char }) => {
        const mutated =
          kind === 'delete'
            ? valid.slice(0, index) + valid.slice(index + 1)
            : kind === 'insert'
              ? valid.slice(0, index) + char + valid.slice(index)
              : valid.slice(0, index) + char + valid.slice(index + 1);
        fc.pre(mutated !== valid);
        return (await outcome(mutated)) === 'rejected';
      }),
      runs,
    );
  });

  it('rejects any header/claims combination signed by a key that is not the issuer’s', async () => {
    const attacker = generateTestKey('RS256', issuer.currentKey().kid);
    const header = fc.record(
      {
        alg: fc.constantFrom('RS256', 'ES256', 'none', 'None', 'HS256', 'PS256', '', 'rs256'),
        typ: fc.constantFrom('at+jwt', 'JWT', undefined),
        kid: fc.constantFrom(attacker.kid, 'other', undefined),
        jku: fc.constantFrom('http://127.0.0.1:1/keys', undefined),
        crit: fc.constantFrom(undefined, ['exp'], []),
      },
      { requiredKeys: ['alg'] },
    );
    const claims = fc.dictionary(
      fc.constantFrom('iss', 'aud', 'sub', 'scope', 'exp', 'nbf', 'x'),
      fc.jsonValue({ maxDepth: 1 }),
    );
    await fc.assert(
      fc.asyncProperty(header, claims, fc.boolean(), async (h, c, hmac) => {
        const payload = { ...issuer.claims(), ...c };
        const token = hmac ? signHmac(h, payload, 'secret') : signCompact(h, payload, attacker, 'RS256');
        return (await outcome(token)) === 'rejected';
      }),
      runs,
    );
  });

  it('never crashes on arbitrary JSON in a correctly signed token, and accepts only well-typed claims', async () => {
    const key = issuer.currentKey();
    const claimValue = fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constant(undefined));
    await fc.assert(
      fc.asyncProperty(claimValue, claimValue, claimValue, async (sub, scope, aud) => {
        const token = signCompact(
          { alg: 'RS256', typ: 'at+jwt', kid: key.kid },
          issuer.claims({ sub, scope, aud }),
          key,
        );
        const result = await outcome(token);
        const wellTyped =
          typeof sub === 'string' &&
          sub !== '' &&
          typeof scope === 'string' &&
          (aud === issuer.audience || (Array.isArray(aud) && aud.includes(issuer.audience)));
        return result === (wellTyped ? 'accepted' : 'rejected');
      }),
      runs,
    );
  });

  it('extractBearerToken returns a token or throws a SecurityError, for any header value', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 200 }), fc.constant(undefined), fc.array(fc.string(), { maxLength: 3 })),
        (header) => {
          try {
            const token = extractBearerToken(header, 8192);
            return typeof token === 'string' && token.length > 0 && !/\s/.test(token.trim()) === !/\s/.test(token);
          } catch (error) {
            return error instanceof SecurityError;
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
