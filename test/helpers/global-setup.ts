// Starts one real Temporal dev server (the CLI binary, resolved or built by the project) for every
// workflow test file; files connect to it through TEMPORAL_TEST_ADDRESS.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { resolveTemporalCli } from '../../dev/temporal-cli';
import { ONBOARDING_SEARCH_ATTRIBUTES } from '../../src/contract/search-attributes';

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
      // The dev server's one history shard reads its task queues at most 20 times a second, which
      // adds up to 50 ms to every step; read them more often so the suite spends less time waiting.
      extraArgs: [
        '--dynamic-config-value',
        'history.transferProcessorMaxPollRPS=200',
        '--dynamic-config-value',
        'history.timerProcessorMaxPollRPS=200',
      ],
    },
  });
  process.stderr.write(`\nTemporal dev server at ${env.address} (started in ${Date.now() - started} ms)\n`);
  process.env.TEMPORAL_TEST_ADDRESS = env.address;
  process.env.TEMPORAL_TEST_NAMESPACE = env.namespace ?? 'default';
  globalThis.__TEMPORAL_ENV__ = env;
}
