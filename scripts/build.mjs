// Compiles every app and lib to dist/ with swc (decorator metadata on, path aliases such
// as @zt/security rewritten to relative paths), so the output runs with plain `node`.
// Type checking is separate: `npm run typecheck`.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bin, root, runSync, say } from './lib/workspace.mjs';

/** `outDir`: another output directory (the compose runner builds its own image's dist/ there). */
export function build(outDir = path.join(root, 'dist')) {
  rmSync(outDir, { recursive: true, force: true });
  const code = runSync(bin('swc'), [
    'apps',
    'libs',
    '--config-file',
    '.swcrc',
    '-d',
    path.relative(root, outDir),
    '--ignore',
    '**/*.spec.ts',
    '--quiet',
  ]);
  if (code !== 0) throw new Error(`build failed (swc exit ${code})`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  say('build', 'compiling apps and libs to dist/');
  build();
  say('build', 'done');
}
