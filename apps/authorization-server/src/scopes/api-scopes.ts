/**
 * The API scopes this server issues and the audiences (APIs) each one is for. A JWT access
 * token's `aud` is derived from its scopes, so a token only ever reaches the APIs its
 * scopes are about (and payments can forward the same token to accounts when both are in).
 * Approving a payment involves two APIs: payments accepts the approval, accounts moves the
 * money when the approved event arrives, carrying a token exchanged down to `accounts-api`.
 */
export const API_SCOPES = {
  'users:read': ['users-api'],
  'users:write': ['users-api'],
  'users:admin': ['users-api'],
  'accounts:read': ['accounts-api'],
  'payments:read': ['payments-api'],
  'payments:write': ['payments-api'],
  'payments:approve': ['payments-api', 'accounts-api'],
  /** A settlement result's event token: only from accounts' exchange of the approved event token (clients.ts `eventAnswers`). */
  'payments:settle': ['payments-api'],
} as const;

export type ApiScope = keyof typeof API_SCOPES;
export type ApiAudience = (typeof API_SCOPES)[ApiScope][number];

/** Granted to a user only when their profile holds it (see users). */
export const PRIVILEGED_SCOPES: readonly ApiScope[] = ['users:admin'];

/** Only ever granted inside a transaction token (RFC 9396 `payment_approval`), never on its own. */
export const TRANSACTION_SCOPE: ApiScope = 'payments:approve';

/** The single resource indicator (RFC 8707) standing for "the bank's APIs"; clients need not send it. */
export const BANK_API_RESOURCE = 'urn:zt:bank-api';

export function isApiScope(scope: string): scope is ApiScope {
  return Object.hasOwn(API_SCOPES, scope);
}

export function splitScope(scope: string | undefined | null): string[] {
  return [...new Set((scope ?? '').split(' ').filter(Boolean))];
}

/** The audiences a set of scopes is for, sorted so the same scopes always give the same `aud`. */
export function audiencesForScopes(scopes: Iterable<string>): string[] {
  const audiences = new Set<string>();
  for (const scope of scopes) if (isApiScope(scope)) for (const audience of API_SCOPES[scope]) audiences.add(audience);
  return [...audiences].sort();
}

export const ALL_API_AUDIENCES: readonly string[] = audiencesForScopes(Object.keys(API_SCOPES));
