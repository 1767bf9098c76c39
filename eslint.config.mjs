// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      '**/.devstack/**',
      '**/.turbo/**',
      '**/__generated__/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ alwaysTryTypes: true }),
      ],
    },
    rules: {
      // Type-only imports vanish at compile time; keeping them explicit keeps runtime
      // dependency graphs (and cycles) honest.
      '@typescript-eslint/consistent-type-imports': 'error',
      // Cycles make module initialisation order-dependent and hide layering mistakes.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // Named exports keep one name per thing across the codebase and refactor safely.
      'import-x/no-default-export': 'error',
      // Unused arguments are allowed when prefixed with _ (resolver signatures).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Config files are loaded by tools that expect a default export.
    files: ['**/*.config.{js,mjs,ts}', '**/codegen.ts', 'jest.preset.js'],
    rules: { 'import-x/no-default-export': 'off' },
  },
  {
    // The dashboard runs in the browser (bundled by Vite), not in Node.
    files: ['packages/dashboard/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests read GraphQL and Kafka payloads as untyped JSON and assert on them.
    files: ['**/test/**/*.ts', 'packages/test-kit/src/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // src/ never reaches into test helpers.
    files: ['**/src/**/*.ts'],
    ignores: ['packages/devstack/**', 'packages/test-kit/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/test/**', '@conecta/devstack', '@conecta/test-kit'],
              message: 'src/ must not import test helpers.',
            },
          ],
        },
      ],
    },
  },
  {
    // domain/ holds the rules: pure TypeScript, no infrastructure (STYLE.md).
    // This block comes last: it replaces the src/ rule above for domain files.
    files: ['services/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              // Exact name only: the pure '@conecta/service-kit/errors' and '/access' stay allowed.
              name: '@conecta/service-kit',
              allowTypeImports: true,
              message:
                'domain/ may import only @conecta/service-kit/errors or /access (pure), or types.',
            },
            {
              name: '@conecta/events',
              message:
                'domain/ is pure: import the published vocabulary from @conecta/events/contracts.',
            },
          ],
          patterns: [
            {
              group: [
                'mongoose',
                'mongodb',
                'kafkajs',
                'graphql',
                '@apollo/*',
                'dataloader',
              ],
              message:
                'domain/ is pure: no database, broker or GraphQL imports.',
            },
            {
              group: [
                '../store/*',
                '../events/*',
                '../resolvers/*',
                '../store',
                '../events',
                '../resolvers',
              ],
              message:
                'domain/ must not depend on store/, events/ or resolvers/.',
            },
            {
              group: ['**/test/**', '@conecta/devstack', '@conecta/test-kit'],
              message: 'src/ must not import test helpers.',
            },
          ],
        },
      ],
    },
  },
);
