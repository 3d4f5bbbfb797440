import type { AuthorizationDetail, KoaContextWithOIDC } from 'oidc-provider';
import { errors } from 'oidc-provider';

/**
 * Transaction tokens through Rich Authorization Requests (RFC 9396): the client asks for
 * `authorization_details=[{"type":"payment_approval","transaction_id":"<payment id>"}]`, the
 * user sees that payment on the consent page, and the access token carries scope
 * `payments:approve` and claim `transaction_id` for that payment only, for at most 5 minutes.
 */
export const PAYMENT_APPROVAL = 'payment_approval';
const TRANSACTION_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ALLOWED_FIELDS = new Set(['type', 'transaction_id']);

export function validatePaymentApproval(ctx: KoaContextWithOIDC, detail: AuthorizationDetail): void {
  for (const field of Object.keys(detail)) {
    if (!ALLOWED_FIELDS.has(field))
      throw new errors.InvalidAuthorizationDetails(`payment_approval does not accept '${field}'`);
  }
  if (typeof detail.transaction_id !== 'string' || !TRANSACTION_ID.test(detail.transaction_id)) {
    throw new errors.InvalidAuthorizationDetails(
      'payment_approval needs a transaction_id of 1-64 letters, digits, _ or -',
    );
  }
  const requested = parseDetails(ctx.oidc.params?.authorization_details);
  if (requested.length !== 1)
    throw new errors.InvalidAuthorizationDetails('a transaction token is for exactly one payment_approval');
}

/** The payment a set of details approves, if any. */
export function transactionIdOf(details: unknown): string | undefined {
  const list = Array.isArray(details) ? details : [];
  const approval = list.find(
    (detail) => detail?.type === PAYMENT_APPROVAL && typeof detail.transaction_id === 'string',
  );
  return approval?.transaction_id;
}

export function parseDetails(raw: unknown): AuthorizationDetail[] {
  if (Array.isArray(raw)) return raw;
  if (typeof raw !== 'string') return [];
  try {
    const parsed = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/**
 * Whether the request being handled is about a transaction: details in this request, or on the
 * code / refresh token it redeems. Decides the scope set and lifetime of what is issued.
 */
export function isTransactionRequest(ctx: KoaContextWithOIDC | undefined): boolean {
  if (!ctx?.oidc) return false;
  const { params, entities } = ctx.oidc;
  return Boolean(
    transactionIdOf(parseDetails(params?.authorization_details)) ??
    transactionIdOf(entities.AuthorizationCode?.rar) ??
    transactionIdOf(entities.RefreshToken?.rar),
  );
}

/** What a code carries: only the details of this request (a grant keeps older ones; they must not leak in). */
export function detailsForCode(ctx: KoaContextWithOIDC): AuthorizationDetail[] | undefined {
  const requested = parseDetails(ctx.oidc.params?.authorization_details);
  const consented = ctx.oidc.grant?.rar ?? [];
  const kept = requested.filter((detail) => consented.some((c) => JSON.stringify(c) === JSON.stringify(detail)));
  return kept.length ? kept : undefined;
}
