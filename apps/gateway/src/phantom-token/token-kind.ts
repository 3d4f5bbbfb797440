/**
 * A JWS (three dot-separated base64url parts) or JWE (five). Opaque tokens of the AS have no dots.
 * Internet clients must never hold a JWT: one that shows up was leaked from inside or forged.
 */
export function looksLikeJwt(token: string): boolean {
  const parts = token.split('.');
  return (parts.length === 3 || parts.length === 5) && parts.every((p) => /^[A-Za-z0-9_-]*$/.test(p));
}
