// With PAYLOAD_ENCRYPTION_KEYS set, failure messages and stack traces are encrypted too: a denied
// onboarding's history holds no readable message, while clients with the key still see it, and anyone
// sees the failure type. Both ways a worker gets its workflow code: the prebuilt bundle, and the sources
// bundled at start-up (with the data converter's failure converter).
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { loadConfig } from '../../src/config';
import { startOnboarding } from '../../src/contract';
import { clientConnectionOptions, nativeConnectionOptions } from '../../src/temporal/connection';
import { dataConverterFor } from '../../src/temporal/data-converter';
import { ownRunsOf } from '../../src/temporal/own-runs';
import { buildWorkflowBundle } from '../../src/temporal/workflow-bundle';
import { createOnboardingWorker, depsFromConfig } from '../../src/worker';
import { onboardingInput } from '../helpers/inputs';

let sim: RunningSimulator;
beforeAll(async () => {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // installed by an earlier file in this Jest worker
  }
  sim = await startSimulator({ port: 0, reviewDelayMs: 20, accountActivationDelayMs: 20 });
});
afterAll(async () => {
  await sim?.close();
});

test.each([
  ['the prebuilt bundle', true],
  ['the sources bundled at start-up', false],
])('a denied onboarding leaves no plaintext failure message in history (%s)', async (_, prebuilt) => {
  const config = loadConfig({
    ONBOARDING_ENV: 'local',
    TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
    TEMPORAL_NAMESPACE: process.env.TEMPORAL_TEST_NAMESPACE ?? 'default',
    CIRCLE_API_BASE_URL: sim.url,
    CLIVE_API_BASE_URL: `${sim.url}/api/v1`,
    ONBOARDING_MIN_POLL_INTERVAL_MS: '10',
    PAYLOAD_ENCRYPTION_KEYS: `test:${randomBytes(32).toString('base64')}`,
  });
  const { namespace } = config.temporal;
  const dataConverter = dataConverterFor(config);
  const taskQueue = `encrypted-failures-${randomUUID()}`;
  const connection = await Connection.connect(clientConnectionOptions(config.temporal.connection));
  const nativeConnection = await NativeConnection.connect(
    nativeConnectionOptions(config.temporal.connection),
  );
  try {
    const client = new Client({ connection, namespace, dataConverter });
    const worker = await createOnboardingWorker({
      connection: nativeConnection,
      namespace,
      taskQueue,
      dataConverter,
      ...(prebuilt ? { workflowBundle: { code: await buildWorkflowBundle() } } : {}),
      deps: { ...depsFromConfig(config), ownRuns: ownRunsOf(client) },
    });
    const workflowId = `encrypted-failures-${randomUUID()}`;
    const err = await worker.runUntil(async () => {
      const handle = await startOnboarding(client, onboardingInput({ tag: '[deny]' }), {
        taskQueue,
        workflowId,
      });
      return handle.result().then(
        () => undefined,
        (e: unknown) => e,
      );
    });

    // With the key: the type and the message, as before.
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause.type).toBe('ApplicationDenied');
    expect(cause.message).toMatch(/^Circle denied application /);

    // Without it (the server's view): the type, and neither message nor stack trace.
    const plain = new Client({ connection, namespace });
    const history = await plain.workflow.getHandle(workflowId).fetchHistory();
    const failed = history.events!.find((e) => e.workflowExecutionFailedEventAttributes)!;
    const failure = failed.workflowExecutionFailedEventAttributes!.failure!;
    expect(failure.message).toBe('Encoded failure');
    expect(failure.stackTrace).toBe('');
    expect(failure.applicationFailureInfo?.type).toBe('ApplicationDenied');
    expect(Buffer.from(failure.encodedAttributes!.metadata!.encoding!).toString()).toBe('binary/encrypted');
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
    expect(bytes).not.toContain('Circle denied application');
    expect(bytes).not.toContain(cause.message);
  } finally {
    await nativeConnection.close();
    await connection.close();
  }
});
