import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

// The folders of src/, lowest first: each may import only those named here (its README says the same
// under "May import"), so every dependency points one way and a two-way import fails the lint.
// `types` are imported as types only (`import type`): nothing of them runs in the importer.
const LAYERS = {
  shared: [],
  net: ['shared'],
  'partner-api': ['shared'],
  documents: ['shared', 'net'],
  circle: ['shared', 'partner-api', 'documents'],
  clive: ['shared', 'partner-api'],
  contract: ['shared', 'circle', 'documents'],
  observability: ['shared', 'contract', 'partner-api'],
  activities: ['shared', 'contract', 'circle', 'clive', 'documents', 'partner-api', 'observability'],
  workflows: {
    values: ['shared', 'contract', 'circle', 'documents', 'observability'],
    types: ['activities', 'clive'],
  },
  temporal: { values: ['shared', 'contract'], types: ['activities'] },
  notifications: ['shared', 'net', 'contract', 'temporal'],
  service: ['shared', 'contract', 'circle', 'documents', 'notifications', 'temporal'],
  config: [
    'shared',
    'contract',
    'partner-api',
    'documents',
    'observability',
    'temporal',
    'notifications',
    'service',
  ],
  cli: ['shared', 'contract', 'circle', 'temporal', 'config'],
};

const layerPolicies = Object.entries(LAYERS).flatMap(([from, allowed]) => {
  const { values, types = [] } = Array.isArray(allowed) ? { values: allowed } : allowed;
  const allow = (to, kind) => ({
    from: { element: { type: from } },
    allow: { to: { element: { types: { anyOf: to } } }, dependency: { kind } },
  });
  return [allow(values, 'value'), allow([...values, ...types], 'type')].filter(
    (p) => p.allow.to.element.types.anyOf.length,
  );
});

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
    plugins: { boundaries },
    settings: {
      // The entry points (src/*.ts: worker, service, starter, codec server) are no folder's: they may
      // import any folder, and no folder may import them.
      'boundaries/elements': Object.keys(LAYERS).map((type) => ({ type, pattern: `src/${type}` })),
      'import/resolver': { node: { extensions: ['.ts', '.js'] } },
    },
    rules: {
      'boundaries/no-unknown-dependencies': 'error',
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          message:
            '{{from.type}}/ may not import {{to.type}}/: see "May import" in src/{{from.type}}/README.md',
          policies: [
            { from: { element: { type: 'entry' } }, allow: { to: { element: { type: '*' } } } },
            ...layerPolicies,
          ],
        },
      ],
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
                'Workflow code takes values only from the zod-free contract files: messages, progress, failures, section-merge, search-attributes, task-queues.',
            },
          ],
        },
      ],
    },
  },
);
