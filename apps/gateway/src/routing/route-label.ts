import { findApiRoute } from './api-routes';
import { AUTHORIZATION_SERVER_ROUTES, HEALTH_ROUTE, METRICS_ROUTE, TOKEN_HANDLER_ROUTES } from './gateway-routes';

const { base, ...tokenHandlerPaths } = TOKEN_HANDLER_ROUTES;
const TOKEN_HANDLER_PATHS = new Set(Object.values(tokenHandlerPaths).map((path) => `/${base}/${path}`));
const OWN_PATHS = new Map([METRICS_ROUTE, HEALTH_ROUTE].map((name) => [`/${name}`, name]));

/**
 * The authorization server's part of the URL space, by first segment: a route of one segment
 * (`jwks`) is that path exactly, a longer one (`auth/:uid`) claims everything under its first
 * segment, so the server's own sub-pages (sign-in, consent) are counted as its traffic.
 */
const AS_EXACT = new Set<string>();
const AS_DIRECTORIES = new Set<string>();
for (const route of [
  ...AUTHORIZATION_SERVER_ROUTES.read,
  ...AUTHORIZATION_SERVER_ROUTES.write,
  AUTHORIZATION_SERVER_ROUTES.token,
]) {
  const [first, ...rest] = route.split('/');
  if (rest.length === 0) AS_EXACT.add(`/${first}`);
  else AS_DIRECTORIES.add(`/${first}/`);
}

/**
 * The bounded label of a path (never the raw path: ids in paths would explode the metrics'
 * cardinality): the API route's prefix, `api-unknown`, `token-handler`, `metrics`, `health`,
 * `authorization-server` or `unmatched`. Derived from the route tables, never listed twice.
 */
export function routeLabel(path: string): string {
  const api = findApiRoute(path);
  if (api) return api.prefix;
  if (path.startsWith('/api/')) return 'api-unknown';
  if (TOKEN_HANDLER_PATHS.has(path)) return 'token-handler';
  const own = OWN_PATHS.get(path);
  if (own) return own;
  if (AS_EXACT.has(path)) return 'authorization-server';
  const slash = path.indexOf('/', 1);
  if (slash !== -1 && AS_DIRECTORIES.has(path.slice(0, slash + 1))) return 'authorization-server';
  return 'unmatched';
}
