import type { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { callerIdentityOf, type CallerIdentity } from '@zt/security';
import { findClientDeclaration } from '../clients/clients';

/**
 * The connection's caller when its certificate may carry the authenticated client's tokens.
 * `callerIdentityOf` (@zt/security) counts a certificate only when the TLS stack verified it against
 * the platform CA: the server requests but does not require one (`rejectUnauthorized: false`), so an
 * unverified certificate reaches this code, and binding a token to it would let anyone with any key
 * pair obtain a bound token. It must also name the client's own workload (clients.ts `workload`):
 * payments' client secret used over the accounts service's connection gets no bound token.
 */
export function callerForClient(ctx: KoaContextWithOIDC): CallerIdentity | undefined {
  const caller = callerIdentityOf(ctx.req);
  const expected = findClientDeclaration(ctx.oidc.client?.clientId ?? '')?.workload;
  return expected === undefined || caller?.workload === expected ? caller : undefined;
}

/**
 * oidc-provider's `features.mTLS.getCertificate`, called when it binds a token (RFC 8705): a bound
 * client without an acceptable certificate gets `invalid_grant`.
 */
export function certificateForClient(ctx: KoaContextWithOIDC): X509Certificate | undefined {
  return callerForClient(ctx) ? (ctx.req.socket as TLSSocket).getPeerX509Certificate() : undefined;
}
