import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// What the product may not import: the simulator and the dev tooling live beside it, never inside it.
const notProduct = {
  group: ['**/simulator', '**/simulator/**', '**/dev/**', '@temporalio/testing'],
  message: 'src/ is what ships: it may not import the simulator, dev tooling or test packages.',
};

// What the simulator may not import: it is an independent model of Circle, so a wrong rule in the product
// cannot be mirrored by the simulator the tests run against.
const notFromProduct = {
  group: ['**/src', '**/src/**'],
  message: 'the simulator is an independent model of Circle: it imports nothing from src/',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'lib/', 'dist/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'object-shorthand': ['error', 'always'],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/workflows/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [notProduct] }] },
  },
  {
    files: ['simulator/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [notFromProduct] }] },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O, and only the
    // zod-free half of the contract (each cached workflow would otherwise carry its own zod schemas).
    // Date and Math.random are replay-safe there.
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            notProduct,
            {
              group: ['node:*', 'fs', 'http', 'https', 'crypto', 'axios', 'zod'],
              allowTypeImports: true,
              message: 'Workflow code runs in a sandbox: no Node built-ins, no I/O libraries.',
            },
            {
              // Values only from circle/enums (plain constants); everything else as types.
              regex: '^(\\.\\./)+(activities|circle(?!/enums$)|clive|partner-api|temporal)(/|$)',
              allowTypeImports: true,
              message:
                'Workflow code must stay deterministic and small: import activities and provider clients as types only.',
            },
            {
              regex: '^(\\.\\./)+contract(/(index|input|json-schema|start-onboarding|workflow))?$',
              allowTypeImports: true,
              message:
                'Workflow code takes values only from the zod-free contract files: messages, progress, failures, search-attributes, task-queues.',
            },
          ],
        },
      ],
    },
  },
);
