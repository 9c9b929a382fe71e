/** @type {import('jest').Config} */
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
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
      displayName: 'http',
      // Simulator contract, HTTP clients, pure units: no Temporal server needed.
      testMatch: ['<rootDir>/test/{simulator,http,unit}/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'temporal',
      // One real Temporal dev server for every workflow test file; started only when one runs.
      testMatch: ['<rootDir>/test/workflows/**/*.test.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
};
