// @ts-check
import tseslint from 'typescript-eslint';
import jest from 'eslint-plugin-jest';
import prettier from 'eslint-config-prettier';

const ours = ['@entra-backup/*', '**/apps/**', '**/libs/**'];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'data/**',
      'coverage/**',
      '.angular/**',
      'artifacts/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.test.ts', '**/*.e2e.ts', 'test/**/*.ts'],
    plugins: { jest },
    rules: {
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
      'jest/valid-expect': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The shared contract imports nothing of ours.
    files: ['libs/common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ours, message: 'libs/common imports nothing of ours.' }] },
      ],
    },
  },
  {
    // The portal talks to the server only through the shared contract.
    files: ['apps/portal/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@entra-backup/graph',
                '@entra-backup/graph-emulator',
                '**/apps/api/**',
                '**/apps/cli/**',
                '**/libs/graph*/**',
                '@nestjs/*',
                'typeorm',
              ],
              message: 'The portal imports only @entra-backup/common.',
            },
          ],
        },
      ],
    },
  },
  {
    // Production code never imports the emulator, except the demo bootstrap.
    files: ['apps/api/src/**/*.ts', 'apps/cli/src/**/*.ts', 'libs/graph/src/**/*.ts'],
    ignores: ['apps/api/src/demo/**', '**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@entra-backup/graph-emulator', '**/libs/graph-emulator/**'],
              message: 'Only the demo bootstrap may import the emulator.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
