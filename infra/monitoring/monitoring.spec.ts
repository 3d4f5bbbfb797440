import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The alerting rules and the dashboard name metrics by string: a metric renamed in code would leave
 * an alert that never fires. Every name they use must be registered by some app or lib
 * (`name: '<metric>'` in a prom-client constructor); `promtool` (CI) checks their syntax and, with
 * alerts.test.yml, that each alert fires on what it watches.
 */
const root = path.resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') && !full.endsWith('.spec.ts') ? [full] : [];
  });
}

function registeredMetrics(): Set<string> {
  const names = new Set<string>();
  for (const file of [...sourceFiles(path.join(root, 'apps')), ...sourceFiles(path.join(root, 'libs'))]) {
    for (const match of readFileSync(file, 'utf8').matchAll(/name:\s*'([a-z_:][a-z0-9_:]*)'/g)) names.add(match[1]!);
  }
  return names;
}

/** Metric names in PromQL text: identifiers followed by `{`, `[` or `)` that are not functions or labels. */
function metricsIn(promql: string): string[] {
  const found = [...promql.matchAll(/\b([a-z_][a-z0-9_]*(?:_total|_seconds|_bucket|_backlog))\b/g)].map((m) => m[1]!);
  return found.map((name) => name.replace(/_bucket$/, ''));
}

describe('monitoring definitions', () => {
  const registered = registeredMetrics();

  it('alerts only on metrics the platform registers', () => {
    const rules = readFileSync(path.join(__dirname, 'alerts.yml'), 'utf8');
    const used = [...new Set(metricsIn(rules))];
    expect(used.length).toBeGreaterThanOrEqual(5);
    expect(used.filter((name) => !registered.has(name))).toEqual([]);
  });

  it('draws the payment-flow dashboard from metrics the platform registers', () => {
    const dashboard = JSON.parse(readFileSync(path.join(__dirname, 'dashboards/payment-flow.json'), 'utf8')) as {
      panels: { targets: { expr: string }[] }[];
    };
    const used = [...new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((t) => metricsIn(t.expr))))];
    expect(used.length).toBeGreaterThanOrEqual(8);
    expect(used.filter((name) => !registered.has(name))).toEqual([]);
  });
});
