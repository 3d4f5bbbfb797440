import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * CSRF tokens for the sign-in forms: an HMAC of the interaction id under a server key. Forms are
 * also bound to the interaction cookie (SameSite=Lax), so a cross-site post fails twice over.
 */
export class CsrfTokens {
  constructor(private readonly key: string) {}

  issue(uid: string): string {
    return createHmac('sha256', `csrf:${this.key}`).update(uid).digest('base64url');
  }

  verify(uid: string, token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const expected = Buffer.from(this.issue(uid));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
