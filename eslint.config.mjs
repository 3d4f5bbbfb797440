// Lint rules for the whole workspace. The module-boundary rule keeps dependencies pointing
// one way: apps -> libs; libs never import apps; libs/security imports no other workspace
// lib, so a team can copy that folder alone.
import nx from '@nx/eslint-plugin';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: [
      '**/dist',
      '**/node_modules',
      '**/.tools',
      '**/tmp',
      '**/coverage',
      '**/reports',
      '**/.stryker-tmp',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:security', onlyDependOnLibsWithTags: ['type:security'] },
            // The development PKI (infra/pki): certificates for tests and the starter scripts; it imports nothing.
            { sourceTag: 'type:pki', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:security', 'type:pki'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:security', 'type:platform', 'type:contracts', 'type:pki'],
            },
            // No `type:e2e`: e2e/ is plain .mjs that drives the running platform over HTTP and imports
            // no workspace code, so there is no boundary to enforce there.
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:security', 'type:platform', 'type:pki'] },
            // Cross-app test projects (tests/*): the libs here; the apps they compose are imported by
            // relative path under a file-level exemption that says why.
            {
              sourceTag: 'type:test',
              onlyDependOnLibsWithTags: ['type:security', 'type:platform', 'type:contracts', 'type:pki'],
            },
          ],
        },
      ],
      // `const { kid: _kid, ...rest } = jwk` drops a property on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Test doubles: controllers and stubs whose bodies are empty on purpose (only their decorators
    // or their presence matter to the test).
    files: ['**/*.spec.ts', '**/testing/**/*.ts'],
    rules: { '@typescript-eslint/no-empty-function': 'off' },
  },
  {
    // Type-aware rules for the promise mistakes that lose errors or race: a promise nobody awaits
    // (its rejection becomes an unhandled rejection, its work may outlive the request) and a
    // promise handed where a plain callback is expected (the caller ignores it the same way).
    // The project service reuses the workspace tsconfig.json, so ESLint sees the same types as tsc.
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Promise.all over per-rule results where a skipped rule is `undefined` is intended.
      '@typescript-eslint/await-thenable': ['error', { allowMixedPromiseArrays: true }],
    },
  },
];
