import { hash } from 'node:crypto';

/** What may be logged about a token: the first 16 hex chars of its SHA-256 (never the token). */
export function tokenFingerprint(token: string | undefined): string | undefined {
  if (!token) return undefined;
  return hash('sha256', token, 'hex').slice(0, 16);
}
