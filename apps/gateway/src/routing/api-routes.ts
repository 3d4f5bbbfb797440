/**
 * THE route table of the gateway: which public path prefix goes to which upstream, the audience
 * the upstream verifies, and the scopes a token needs AT MINIMUM for each kind of method. The
 * upstream APIs check their own, finer rules again; the gateway refuses early what can never
 * succeed. Upstream URLs come from configuration (see upstream-config.ts).
 */
export interface ApiRoute {
  /** Public prefix under /api, e.g. `/api/accounts`; stripped of `/api` on the way upstream. */
  prefix: string;
  upstream: 'users' | 'accounts' | 'payments';
  audience: string;
  /** Any one of these for GET/HEAD. */
  readScopes: readonly string[];
  /** Any one of these for POST/PUT/PATCH/DELETE. */
  writeScopes: readonly string[];
  /** Region-bound data: the verified `region` claim picks the upstream instance. */
  regional: boolean;
}

export const API_ROUTES: readonly ApiRoute[] = [
  {
    prefix: '/api/users',
    upstream: 'users',
    audience: 'users-api',
    readScopes: ['users:read', 'users:admin'],
    writeScopes: ['users:write', 'users:admin'],
    regional: false,
  },
  {
    prefix: '/api/accounts',
    upstream: 'accounts',
    audience: 'accounts-api',
    readScopes: ['accounts:read'],
    // Accounts are changed only through payment events; no internet client writes them.
    writeScopes: [],
    regional: true,
  },
  {
    prefix: '/api/payments',
    upstream: 'payments',
    audience: 'payments-api',
    readScopes: ['payments:read'],
    writeScopes: ['payments:write', 'payments:approve'],
    regional: false,
  },
];

const READ_METHODS = new Set(['GET', 'HEAD']);

export function requiredScopes(route: ApiRoute, method: string): readonly string[] {
  return READ_METHODS.has(method) ? route.readScopes : route.writeScopes;
}

/** The route for a path, matched on whole segments (`/api/usersX` is not `/api/users`). */
export function findApiRoute(path: string): ApiRoute | undefined {
  for (const [route, directory] of ROUTE_DIRECTORIES) {
    if (path === route.prefix || path.startsWith(directory)) return route;
  }
  return undefined;
}

/** `<prefix>/`, made once: the look-up runs on every request. */
const ROUTE_DIRECTORIES: readonly (readonly [ApiRoute, string])[] = API_ROUTES.map(
  (route) => [route, `${route.prefix}/`] as const,
);

export const API_AUDIENCES: readonly string[] = [...new Set(API_ROUTES.map((route) => route.audience))];
