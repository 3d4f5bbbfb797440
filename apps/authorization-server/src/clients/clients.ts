/**
 * Every OAuth client of the platform, in one place. Secrets never live here: each
 * confidential client names the variable its secret comes from (development mode has a
 * default; production refuses to start without it). Read this file to know who may do what.
 */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** Development only: a token for a seeded user without the login page (npm run token). */
export const DEV_USER_GRANT = 'urn:zt:params:oauth:grant-type:dev-user';

const USER_SCOPES =
  'openid offline_access users:read users:write users:admin accounts:read payments:read payments:write payments:approve';

export interface ClientDeclaration {
  clientId: string;
  purpose: string;
  /** Confidential clients authenticate with client_secret_basic/post; public ones use PKCE alone. */
  secretVariable?: string;
  applicationType?: 'web' | 'native';
  grantTypes: string[];
  /** Where the redirect URIs come from (comma-separated) and their development default. */
  redirectUris?: { variable: string; devDefault: string };
  /** RFC 9396 types the client may request (transaction tokens: `payment_approval`). */
  authorizationDetailsTypes?: string[];
  /** Upper bound of what the client may ever get (RFC 7591 `scope`). */
  scope: string;
  /** Internet clients get opaque tokens; services get JWTs they use directly. */
  accessTokenFormat: 'opaque' | 'jwt';
  /** The API a service client is; a subject token must be meant for it to be exchanged. */
  audience?: string;
  /**
   * Token exchange (RFC 8693) never widens scope or audience, with one narrow exception each entry
   * here names: a service answering an event it received may exchange that event's token for a token
   * bound to its answer event, with exactly the scope and audience given. It is the only way to get
   * that scope: the answer stays bound to the user (`sub`) and payment (`transaction_id`) of the
   * event it answers, and no reusable token exists for it.
   */
  eventAnswers?: readonly EventAnswerExchange[];
  /**
   * A workload with its own platform certificate: when the server runs TLS its tokens are bound to
   * that certificate (RFC 8705 `cnf.x5t#S256`, oidc-provider's `tls_client_certificate_bound_access_tokens`),
   * so a stolen service token is useless from any other workload. Event tokens stay unbound (see
   * token-exchange.grant.ts).
   */
  certificateBoundTokens?: boolean;
  /**
   * The workload whose platform certificate (SAN `spiffe://<trust domain>/<workload>`) this client's
   * tokens may be bound to: its secret used over another workload's connection gets no token.
   */
  workload?: string;
  /** May call introspection; `phantomToken` clients may ask for the JWT form (Accept: application/jwt). */
  introspection?: boolean;
  phantomToken?: boolean;
  devOnly?: boolean;
}

export interface EventAnswerExchange {
  /** The event token being answered: a scope it holds, its audience and the service that published it (`act.sub`). */
  answers: { scope: string; audience: string; actor: string; claims: readonly string[] };
  /** The one scope and audience the answer's token gets. */
  scope: string;
  audience: string;
}

export const CLIENTS: readonly ClientDeclaration[] = [
  {
    clientId: 'gateway-bff',
    purpose: "the gateway's token handler: browser logins (code + PKCE), keeps tokens out of the browser",
    secretVariable: 'OAUTH_CLIENT_SECRET_GATEWAY_BFF',
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: { variable: 'OAUTH_GATEWAY_BFF_REDIRECT_URIS', devDefault: 'http://127.0.0.1:8080/auth/callback' },
    authorizationDetailsTypes: ['payment_approval'],
    scope: USER_SCOPES,
    accessTokenFormat: 'opaque',
  },
  {
    clientId: 'bank-cli',
    purpose: 'mobile app / CLI: public client, code + PKCE with a loopback redirect (any port, RFC 8252)',
    applicationType: 'native',
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: { variable: 'OAUTH_BANK_CLI_REDIRECT_URIS', devDefault: 'http://127.0.0.1/callback' },
    authorizationDetailsTypes: ['payment_approval'],
    scope: USER_SCOPES,
    accessTokenFormat: 'opaque',
  },
  {
    clientId: 'gateway',
    purpose: 'the gateway as resource-side caller: introspects opaque tokens and receives their JWT (phantom token)',
    secretVariable: 'OAUTH_CLIENT_SECRET_GATEWAY',
    grantTypes: [],
    scope: '',
    accessTokenFormat: 'opaque',
    introspection: true,
    phantomToken: true,
  },
  {
    clientId: 'payments-service',
    purpose: 'payments: exchanges user tokens for event tokens (RFC 8693); machine-to-machine calls',
    secretVariable: 'OAUTH_CLIENT_SECRET_PAYMENTS_SERVICE',
    grantTypes: ['client_credentials', TOKEN_EXCHANGE_GRANT],
    scope: 'accounts:read users:read',
    accessTokenFormat: 'jwt',
    certificateBoundTokens: true,
    workload: 'payments',
    audience: 'payments-api',
  },
  {
    clientId: 'accounts-service',
    purpose: 'accounts: token exchange (settlement results) and machine-to-machine calls',
    secretVariable: 'OAUTH_CLIENT_SECRET_ACCOUNTS_SERVICE',
    grantTypes: ['client_credentials', TOKEN_EXCHANGE_GRANT],
    // No payments:settle here: client credentials would make it a reusable token of the service.
    scope: 'payments:read users:read',
    accessTokenFormat: 'jwt',
    certificateBoundTokens: true,
    workload: 'accounts',
    audience: 'accounts-api',
    // A settlement result's token comes only from the `payments.approved` event token it answers
    // (published by payments, naming one user and payment), bound to the result event itself.
    eventAnswers: [
      {
        answers: {
          scope: 'payments:approve',
          audience: 'accounts-api',
          actor: 'payments-service',
          claims: ['transaction_id'],
        },
        scope: 'payments:settle',
        audience: 'payments-api',
      },
    ],
  },
  {
    clientId: 'users-service',
    purpose: 'users: token exchange and machine-to-machine calls',
    secretVariable: 'OAUTH_CLIENT_SECRET_USERS_SERVICE',
    grantTypes: ['client_credentials', TOKEN_EXCHANGE_GRANT],
    scope: 'accounts:read payments:read',
    accessTokenFormat: 'jwt',
    certificateBoundTokens: true,
    workload: 'users',
    audience: 'users-api',
  },
  {
    clientId: 'dev-tokens',
    purpose: 'development only: `npm run token` gets opaque tokens for seeded users; introspects its own tokens',
    secretVariable: 'OAUTH_CLIENT_SECRET_DEV_TOKENS',
    grantTypes: [DEV_USER_GRANT],
    scope: USER_SCOPES,
    accessTokenFormat: 'opaque',
    introspection: true,
    devOnly: true,
  },
];

export function findClientDeclaration(clientId: string): ClientDeclaration | undefined {
  return CLIENTS.find((client) => client.clientId === clientId);
}
