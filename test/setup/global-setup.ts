// Starts one real Temporal dev server (the CLI binary, resolved or built by the project) for every
// workflow test file; files connect to it through TEMPORAL_TEST_ADDRESS.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { resolveTemporalCli } from '../../src/devserver/temporal-cli';
import { ONBOARDING_SEARCH_ATTRIBUTES } from '../../src/search-attributes';

declare global {
  var __TEMPORAL_ENV__: TestWorkflowEnvironment | undefined;
}

export default async function globalSetup(): Promise<void> {
  const { path } = await resolveTemporalCli();
  const started = Date.now();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path },
      searchAttributes: [...ONBOARDING_SEARCH_ATTRIBUTES],
      log: { format: 'json', level: 'error' },
    },
  });
  process.stderr.write(`\nTemporal dev server at ${env.address} (started in ${Date.now() - started} ms)\n`);
  process.env.TEMPORAL_TEST_ADDRESS = env.address;
  process.env.TEMPORAL_TEST_NAMESPACE = env.namespace ?? 'default';
  globalThis.__TEMPORAL_ENV__ = env;
}
