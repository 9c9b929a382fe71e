// Per-file test environment: the shared dev server, the simulator on a free loopback port, and a real
// worker on a task queue of its own, running the workflow bundle built once for the file.
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment, workflowInterceptorModules } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  makeTelemetryFilterString,
  NativeConnection,
  Runtime,
} from '@temporalio/worker';
import { CircleClient } from '../../src/circle/client';
import { CliveClient } from '../../src/clive/client';
import { createDocumentStore } from '../../src/documents/store';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../simulator';
import { ownRunsOf } from '../../src/temporal/own-runs';
import type { PaceOptions } from '../../src/partner-api/pacer';
import { createOnboardingWorker, type OnboardingWorkerOptions } from '../../src/worker';
import type { WorkerGroup } from '../../src/temporal/worker-group';

export interface OnboardingTestEnv {
  client: Client;
  sim: RunningSimulator;
  taskQueue: string;
  address: string;
  namespace: string;
  bundle: { code: string };
  /** The worker's document directory: a copy of examples/documents that tests may add files to. */
  documentsDir: string;
  /** Starts another worker on the same task queue (for crash/restart and scale-out tests). */
  startWorker(options?: WorkerLimits): Promise<{ worker: WorkerGroup; stop(): Promise<void> }>;
  /** Stops the file's own worker (as a crash would), and brings it back. */
  stopMainWorker(): Promise<void>;
  restartMainWorker(): Promise<void>;
  teardown(): Promise<void>;
}

/** A worker's rate limits: the partner queues' cluster-wide one, and its own pace towards Circle. */
export interface WorkerLimits {
  taskQueueActivitiesPerSecond?: OnboardingWorkerOptions['taskQueueActivitiesPerSecond'];
  circlePace?: PaceOptions;
  /** Another build of the workflow code than the file's (e.g. a modified copy of `bundle.code`). */
  workflowBundle?: { code: string };
  /** Onboardings started on it call Circle from local activities (WORKER_LOCAL_CIRCLE_CALLS). */
  localCircleCalls?: boolean;
}

let runtimeInstalled = false;

export async function setupOnboardingEnv(
  simOptions: SimulatorOptions = {},
  { dataConverter, localCircleCalls }: { dataConverter?: DataConverter; localCircleCalls?: boolean } = {},
): Promise<OnboardingTestEnv> {
  if (!runtimeInstalled) {
    Runtime.install({
      logger: new DefaultLogger('ERROR'),
      telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
    });
    runtimeInstalled = true;
  }
  const address = process.env.TEMPORAL_TEST_ADDRESS;
  const namespace = process.env.TEMPORAL_TEST_NAMESPACE ?? 'default';
  if (!address)
    throw new Error('TEMPORAL_TEST_ADDRESS is not set: run workflow tests through Jest (globalSetup).');

  const env = await TestWorkflowEnvironment.createFromExistingServer({
    address,
    namespace,
    client: { dataConverter },
  });
  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    workflowInterceptorModules,
    logger: new DefaultLogger('WARN'),
  });
  const sim = await startSimulator({
    port: 0,
    reviewDelayMs: 20,
    accountActivationDelayMs: 20,
    ...simOptions,
  });
  const taskQueue = `test-${randomUUID()}`;
  const documentsDir = mkdtempSync(join(tmpdir(), 'onboarding-documents-'));
  cpSync(join(__dirname, '../../examples/documents'), documentsDir, { recursive: true });

  const startWorker = async (limits: WorkerLimits = {}) => {
    const connection = await NativeConnection.connect({ address });
    const worker = await createOnboardingWorker({
      connection,
      namespace,
      taskQueue,
      workflowBundle: limits.workflowBundle ?? bundle,
      dataConverter,
      deps: {
        circle: new CircleClient({
          baseUrl: sim.url,
          apiKey: 'TEST_API_KEY:local:simulator',
          timeoutMs: 5000,
          pace: limits.circlePace,
        }),
        clive: new CliveClient({
          baseUrl: `${sim.url}/api/v1`,
          apiKey: 'cp_test_partner_local',
          hmacSecret: 'local-hmac-secret',
        }),
        documents: createDocumentStore({ dir: documentsDir }),
        minPollIntervalMs: 10, // the simulator has no rate limit to protect
        ownRuns: ownRunsOf(env.client),
        localCircleCalls: limits.localCircleCalls ?? localCircleCalls,
      },
      taskQueueActivitiesPerSecond: limits.taskQueueActivitiesPerSecond,
    });
    const running = worker.run();
    return {
      worker,
      async stop() {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await connection.close();
      },
    };
  };
  let main = await startWorker();

  return {
    client: env.client,
    sim,
    taskQueue,
    address,
    namespace,
    bundle,
    documentsDir,
    startWorker,
    stopMainWorker: () => main.stop(),
    async restartMainWorker() {
      main = await startWorker();
    },
    async teardown() {
      await main.stop();
      await sim.close();
      await env.teardown();
      rmSync(documentsDir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers the usual hooks for a workflow test file: the environment is set up once, torn down after
 * the last test, and the simulator is reset before each test. Filled in before the first test runs.
 */
export function useOnboardingEnv(...args: Parameters<typeof setupOnboardingEnv>): OnboardingTestEnv {
  const t = {} as OnboardingTestEnv;
  beforeAll(async () => {
    Object.assign(t, await setupOnboardingEnv(...args));
  });
  afterAll(async () => {
    await t.teardown?.();
  });
  beforeEach(() => t.sim.control.reset());
  return t;
}
