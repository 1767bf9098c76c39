// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import globals from 'globals';

const TEST_HELPERS = {
  group: ['**/test/**', '@conecta/devstack', '@conecta/test-kit'],
  message: 'src/ must not import test helpers.',
};
const KAFKAJS = {
  group: ['kafkajs'],
  message:
    'kafkajs only in packages/events: use @conecta/events (add what is missing there).',
};
const MONGO_OUTSIDE_STORE = {
  group: ['mongoose', 'mongodb'],
  allowTypeImports: true,
  message: 'MongoDB only in store/ (and service-kit).',
};
const OTHER_SERVICES = {
  group: [
    '@conecta/committees',
    '@conecta/standards',
    '@conecta/certification',
    '@conecta/training',
    '@conecta/outcomes',
    '@conecta/committees/*',
    '@conecta/standards/*',
    '@conecta/certification/*',
    '@conecta/training/*',
    '@conecta/outcomes/*',
    '../../../*/src/*',
  ],
  message:
    'services do not import each other: they talk through events and the graph.',
};

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
    // src/ never reaches into test helpers (the test harnesses themselves
    // excepted: devstack, test-kit, and the fault suite, which starts
    // infrastructure of its own).
    files: ['**/src/**/*.ts'],
    ignores: [
      'packages/devstack/**',
      'packages/test-kit/**',
      'packages/faults/**',
    ],
    rules: {
      'no-restricted-imports': ['error', { patterns: [TEST_HELPERS] }],
    },
  },
  {
    // Issue 16's boundaries, for the services' code (each block below replaces
    // this rule for its files, so every block repeats what still applies):
    // kafkajs only through @conecta/events, MongoDB only in store/, no import
    // of another service.
    files: ['services/*/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            TEST_HELPERS,
            KAFKAJS,
            MONGO_OUTSIDE_STORE,
            OTHER_SERVICES,
          ],
        },
      ],
    },
  },
  {
    files: ['services/*/src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [TEST_HELPERS, KAFKAJS, OTHER_SERVICES] },
      ],
    },
  },
  {
    // Resolvers map GraphQL to commands and queries; they reach stores only
    // through the context (types may be named).
    files: ['services/*/src/resolvers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            TEST_HELPERS,
            KAFKAJS,
            MONGO_OUTSIDE_STORE,
            OTHER_SERVICES,
            {
              group: ['../store', '../store/*'],
              allowTypeImports: true,
              message:
                'resolvers/ must not import store/ (types only): reach stores through the context or a command.',
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
              // Exact name only: the pure '@conecta/service-kit/errors', '/access', '/cursor' and '/open-data-format' stay allowed.
              name: '@conecta/service-kit',
              allowTypeImports: true,
              message:
                'domain/ may import only @conecta/service-kit/errors, /access, /cursor or /open-data-format (pure), or types.',
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
            TEST_HELPERS,
            OTHER_SERVICES,
          ],
        },
      ],
    },
  },
);
