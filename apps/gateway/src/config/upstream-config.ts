import { ConfigValidationError, Env, readUrl } from '@zt/platform';
import { API_ROUTES, ApiRoute } from '../routing/api-routes';

/** Where each upstream lives: one base URL, or one per region for region-bound APIs. */
export interface UpstreamConfig {
  regions: readonly string[];
  /** upstream name -> base URL (non-regional) */
  global: ReadonlyMap<ApiRoute['upstream'], string>;
  /** upstream name -> region -> base URL (regional) */
  regional: ReadonlyMap<ApiRoute['upstream'], ReadonlyMap<string, string>>;
}

/** Demo ports (infra/platform.json); the demo runs one accounts instance for both regions. */
const DEV_PORTS: Record<ApiRoute['upstream'], number> = { users: 3001, accounts: 3002, payments: 3003 };

export function loadUpstreamConfig(env: Env): UpstreamConfig {
  const regions = (env.GATEWAY_REGIONS?.trim() || 'eu,us')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean)
    .map((r) => r.toLowerCase());
  for (const region of regions) {
    if (!/^[a-z0-9-]{1,32}$/.test(region))
      throw new ConfigValidationError('GATEWAY_REGIONS', `must list region codes like eu,us (bad entry "${region}")`);
  }
  if (regions.length === 0) throw new ConfigValidationError('GATEWAY_REGIONS', 'must list at least one region');
  const global = new Map<ApiRoute['upstream'], string>();
  const regional = new Map<ApiRoute['upstream'], Map<string, string>>();
  for (const route of API_ROUTES) {
    const base = `${route.upstream.toUpperCase()}_API_URL`;
    const devDefault = `http://127.0.0.1:${DEV_PORTS[route.upstream]}`;
    if (!route.regional) {
      global.set(route.upstream, origin(readUrl(env, base, ['http:', 'https:'], devDefault), base));
      continue;
    }
    const byRegion = new Map<string, string>();
    for (const region of regions) {
      const name = `${base}_${region.toUpperCase().replace(/-/g, '_')}`;
      byRegion.set(region, origin(readUrl(env, name, ['http:', 'https:'], devDefault), name));
    }
    regional.set(route.upstream, byRegion);
  }
  return { regions, global, regional };
}

/** Base URLs carry no path, query or credentials: the public path maps 1:1 onto the upstream. */
function origin(url: URL, name: string): string {
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw new ConfigValidationError(name, 'must be a base URL like http://host:port (no path, query or credentials)');
  }
  return url.origin;
}
