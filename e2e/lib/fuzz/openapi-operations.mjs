// The operations to fuzz, read from each service's own OpenAPI document (/docs-json, served by
// the app itself and never through the gateway): every operation the gateway routes, with its
// path and header parameters, its JSON body schema (references resolved) and the scopes its
// description names.
import { APPS, urlOf } from '../../../scripts/lib/topology.mjs';
import { internalFetch } from '../platform.mjs';

export const FUZZED_SERVICES = ['users', 'accounts', 'payments'];

/** The document a service serves about itself. */
export async function openApiDocument(service) {
  const app = APPS.find((a) => a.name === service);
  const url = `${urlOf(app)}/docs-json`;
  const res = await internalFetch(url);
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res.json();
}

/** `#/components/schemas/X` resolved in place (one level at a time, so cycles cannot recurse forever). */
export function resolver(doc) {
  const resolve = (schema, seen = new Set()) => {
    if (!schema || typeof schema !== 'object') return schema;
    if (schema.$ref) {
      if (seen.has(schema.$ref)) return {};
      const name = schema.$ref.replace('#/components/schemas/', '');
      return resolve(doc.components?.schemas?.[name], new Set([...seen, schema.$ref]));
    }
    const out = { ...schema };
    if (schema.properties)
      out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, seen)]));
    if (schema.items) out.items = resolve(schema.items, seen);
    if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => resolve(s, seen)));
    return out;
  };
  return resolve;
}

/**
 * Operations of one service reachable through the gateway (`/api/<service>/...`). The gateway
 * forwards `/api/<service>/x` to the service's `/<service>/x`, so only paths under the service's
 * own name are public; the others (none today) are listed as skipped.
 */
export function operationsOf(service, doc) {
  const resolve = resolver(doc);
  const operations = [];
  const skipped = [];
  for (const [template, item] of Object.entries(doc.paths ?? {})) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const spec = item[method];
      if (!spec) continue;
      const key = `${method.toUpperCase()} ${template}`;
      if (!(template === `/${service}` || template.startsWith(`/${service}/`))) {
        skipped.push(key);
        continue;
      }
      const params = [...(item.parameters ?? []), ...(spec.parameters ?? [])].map((p) => ({
        ...p,
        schema: resolve(p.schema ?? { type: 'string' }),
      }));
      const body = spec.requestBody?.content?.['application/json']?.schema;
      operations.push({
        service,
        key,
        method: method.toUpperCase(),
        template,
        pathParams: params.filter((p) => p.in === 'path'),
        headerParams: params.filter((p) => p.in === 'header'),
        bodySchema: body ? resolve(body) : undefined,
        bodyRequired: Boolean(spec.requestBody?.required),
        scopes: [...`${spec.description ?? ''}`.matchAll(/`([a-z]+:[a-z]+)`/g)].map((m) => m[1]),
        successStatuses: Object.keys(spec.responses ?? {})
          .filter((s) => /^2\d\d$/.test(s))
          .map(Number),
      });
    }
  }
  return { operations, skipped };
}
