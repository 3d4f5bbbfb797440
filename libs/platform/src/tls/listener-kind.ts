/**
 * Who may connect to an app's HTTPS listener.
 * - `internal` (the default): only workloads of the platform. A client certificate issued by the
 *   platform CA is REQUIRED; plaintext, no certificate and certificates of other CAs are refused
 *   at the handshake, before a byte of HTTP is read.
 * - `public`: the internet's entry point (the gateway). No client certificate; HSTS on every answer.
 * - `public-optional-client-cert`: the authorization server. Browsers and apps connect without a
 *   certificate; service clients present theirs so the server can bind their tokens to it
 *   (RFC 8705). The certificate is requested, verified against the platform CA when given, and
 *   never required: `socket.authorized` says whether it verified.
 */
export type ListenerKind = 'internal' | 'public' | 'public-optional-client-cert';

export const DEFAULT_LISTENER_KIND: ListenerKind = 'internal';
