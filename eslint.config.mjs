// Lint rules for the whole workspace. The module-boundary rule keeps dependencies pointing
// one way: apps -> libs; libs never import apps; libs/security imports no other workspace
// lib, so a team can copy that folder alone.
import nx from '@nx/eslint-plugin';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/.tools', '**/tmp', '**/coverage', '**/reports', '**/.stryker-tmp', '**/*.cjs', '**/*.mjs'],
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
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:security'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:security', 'type:platform', 'type:contracts'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:security', 'type:platform'] },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:security', 'type:platform'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
];
