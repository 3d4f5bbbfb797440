/**
 * The gateway's own routes, beside the API route table (api-routes.ts): the controllers declare
 * their paths from here, and request labels (route-label.ts) are derived from the same lists, so
 * a new route cannot be declared without being labelled.
 */

/** The token handler (TokenHandlerController): `/auth/<path>`. */
export const TOKEN_HANDLER_ROUTES = {
  base: 'auth',
  login: 'login',
  callback: 'callback',
  refresh: 'refresh',
  logout: 'logout',
  session: 'session',
} as const;

/** The authorization server's public endpoints, passed through (AuthorizationServerProxyController). */
export const AUTHORIZATION_SERVER_ROUTES: { read: string[]; write: string[]; token: string } = {
  read: [
    '.well-known/openid-configuration',
    '.well-known/oauth-authorization-server',
    'jwks',
    'auth',
    'auth/:uid',
    'interaction/*',
  ],
  write: ['auth', 'interaction/*', 'token/revocation'],
  token: 'token',
};

/** Prometheus scraping (MetricsController). */
export const METRICS_ROUTE = 'metrics';
/** The platform's liveness route (PlatformModule), named here for its label. */
export const HEALTH_ROUTE = 'health';
