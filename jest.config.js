/** @type {import('jest').Config} */
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'], '^.+\\.js$': ['@swc/jest'] },
  // A few of Fastify's dependencies ship ES modules only; Node 20 requires them, Jest's CommonJS
  // runtime cannot, so they are compiled like the sources.
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|cookie)/)'],
  modulePathIgnorePatterns: ['<rootDir>/lib/'],
};

/** @type {import('jest').Config} */
module.exports = {
  // Two cores: at most two test files at once (plus the shared Temporal dev server).
  maxWorkers: 2,
  testTimeout: 60_000,
  projects: [
    {
      ...common,
      displayName: 'fast',
      // Units, the provider clients and the simulator over loopback HTTP: no Temporal server needed.
      testMatch: ['<rootDir>/{test,simulator,dev}/**/*.test.ts'],
      testPathIgnorePatterns: [
        '<rootDir>/test/workflows/',
        '<rootDir>/test/workflows-long/',
        '\\.temporal\\.test\\.ts$',
      ],
    },
    {
      ...common,
      displayName: 'temporal',
      // Workflows on one real Temporal dev server, started once (only when one of these files runs);
      // elsewhere, a `*.temporal.test.ts` file needs that server too.
      testMatch: ['<rootDir>/test/workflows/**/*.test.ts', '<rootDir>/test/**/*.temporal.test.ts'],
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
      globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'time-skipping',
      // Deadlines of real length (the defaults: weeks) on Temporal's Java time-skipping test server.
      testMatch: ['<rootDir>/test/workflows-long/**/*.test.ts'],
      testTimeout: 600_000,
    },
  ],
};
