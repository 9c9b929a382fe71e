// The whole onboarding stack on one machine, for the demo and the benchmark: an embedded Temporal dev
// server (optionally with its Web UI) or a Temporal server given by its address, the Circle/Clive
// simulator, and a worker in-process or worker processes. `stop()` tears it down in reverse order and
// is safe to call more than once.
import { fork, type ChildProcess } from 'node:child_process';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import { TASK_QUEUE } from '../src/contract';
import { ONBOARDING_SEARCH_ATTRIBUTES } from '../src/contract/search-attributes';
import { dataConverterFor } from '../src/temporal/data-converter';
import { ownRunsOf } from '../src/temporal/own-runs';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../simulator';
import { createOnboardingWorker, depsFromConfig, type OnboardingWorkerOptions } from '../src/worker';
import { CIRCLE_NOTIFICATIONS_PATH } from '../src/notifications';
import { hashApiKey } from '../src/service/auth';
import { serviceFromConfig, type ConfiguredServiceOptions } from '../src/service/from-config';
import { compiledEntry } from './compiled-entry';
import { resolveTemporalCli } from './temporal-cli';
import { firstFreePortFrom, freePort, TEMPORAL_UI_PORT } from './local-tools';

/**
 * What every dev script and test that starts the stack runs as: the local environment, where the
 * simulator's public secrets, plaintext payloads and an open codec server are allowed.
 */
export const LOCAL_ENV = { ONBOARDING_ENV: 'local' } as const;

/** The process's environment for a local run: ONBOARDING_ENV=local over whatever it says. */
export const localEnv = (extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  ...extra,
  ...LOCAL_ENV,
});

export interface LocalStackOptions {
  /**
   * A Temporal server that is already running (e.g. `npm run cluster`'s), whose namespace has the
   * search attributes: no dev server is started, and `ui` and `dynamicConfig` do not apply.
   */
  temporal?: { address: string; namespace?: string };
  /** Serve the Temporal Web UI (on `uiPort`, else on 8233 or the next free port). */
  ui?: boolean;
  uiPort?: number;
  /** Dev-server dynamic config (`--dynamic-config-value key=value`), e.g. for benchmarks. */
  dynamicConfig?: Record<string, string | number | boolean>;
  /** Serve the dev server's Prometheus metrics (on a free port): `serverMetricsUrl`. */
  serverMetrics?: boolean;
  simulator?: SimulatorOptions;
  /** `true`: a worker in this process; `'child'`: a worker process (`workerEntry`); `false`: none. */
  worker?: boolean | 'child';
  /** `'child'` mode: how many worker processes poll the task queue (default 1). */
  workers?: number;
  /** Module the child worker runs; defaults to the project's worker entry (src/worker.ts). */
  workerEntry?: string;
  /** Extra environment for the worker (a child's, or the in-process one's configuration). */
  workerEnv?: Record<string, string>;
  /** Node options of the child worker, e.g. its heap limit. */
  workerNodeArgs?: string[];
  /** Tuning of the in-process worker. */
  tuning?: OnboardingWorkerOptions['tuning'];
  taskQueue?: string;
  /**
   * Run the onboarding service (HTTP API and notification receiver) in this process, subscribed to the
   * simulator's notifications; `onRelayed` observes each relayed notification.
   */
  service?: boolean | { port?: number; onRelayed?: ConfiguredServiceOptions['onRelayed'] };
  /** Level of the Temporal SDK's own logs (default WARN). */
  sdkLogLevel?: 'WARN' | 'ERROR';
  log?: (line: string) => void;
}

export interface LocalStack {
  client: Client;
  /** gRPC address of the Temporal server, host:port. */
  address: string;
  namespace: string;
  uiUrl?: string;
  /** The dev server's Prometheus endpoint, when `serverMetrics` was asked for. */
  serverMetricsUrl?: string;
  simulator: RunningSimulator;
  taskQueue: string;
  workerPid?: number;
  /** The onboarding service, when `service` was asked for: its URL and an API key with write scope. */
  service?: { url: string; apiKey: string };
  /** The (first) worker process in `'child'` mode (its IPC channel is open). */
  workerProcess?: ChildProcess;
  /** `'child'` mode: every worker process, by slot; a restarted worker takes its predecessor's slot. */
  workerProcesses?: ChildProcess[];
  /**
   * `'child'` mode only: stops the worker process in `slot` (default 0) with `signal` (default SIGKILL,
   * as if its machine died), starts a new one there (with `env` over the stack's worker environment)
   * and waits until it polls; `workerPid` and `workerProcess` follow slot 0.
   */
  restartWorker?(signal?: NodeJS.Signals, slot?: number, env?: Record<string, string>): Promise<ChildProcess>;
  /**
   * `'child'` mode only: starts one more worker process, with `env` over the stack's worker environment
   * (e.g. another workflow bundle and build id), in a new slot, and waits until it polls.
   */
  addWorker?(env: Record<string, string>): Promise<ChildProcess>;
  /**
   * In-process mode only: stops the worker, runs `during` while nothing polls the task queue (so
   * whatever reaches a run meanwhile waits for one workflow task), then starts a worker again.
   */
  withWorkerStopped?(during: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

type Closer = () => Promise<void>;

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[stack] ${line}\n`));
  const closers: Closer[] = []; // run last-in first-out
  // Once stopping, no worker is (re)started: a chaos restart would race the teardown.
  const stopping = new AbortController();
  const stop = once(async () => {
    stopping.abort();
    for (const close of closers.reverse()) {
      await close().catch((err: Error) => log(`teardown: ${err.message}`));
    }
  });

  try {
    installQuietRuntime(options.sdkLogLevel ?? 'WARN');
    // Encrypted payloads when PAYLOAD_ENCRYPTION_KEYS is set: the client and every worker must agree.
    const dataConverter = dataConverterFor(loadConfig(localEnv()));
    const uiPort = options.ui && !options.temporal ? (options.uiPort ?? (await webUiPort(log))) : undefined;
    const metricsPort = options.serverMetrics && !options.temporal ? await freePort() : undefined;
    const env = options.temporal
      ? await TestWorkflowEnvironment.createFromExistingServer({
          ...options.temporal,
          client: { dataConverter },
        })
      : await startDevServer(options, uiPort, metricsPort, dataConverter, log);
    closers.push(() => env.teardown()); // stops the dev server; only disconnects from a given server
    const namespace = env.namespace ?? 'default';
    const uiUrl = uiPort === undefined ? undefined : `http://127.0.0.1:${uiPort}`;
    const server = options.temporal ? 'Temporal server' : 'Temporal dev server';
    log(`${server} at ${env.address}${uiUrl ? `, Web UI at ${uiUrl}` : ''}`);

    const simulator = await startSimulator({ port: 0, ...options.simulator });
    closers.push(() => simulator.close());
    log(`simulator at ${simulator.url}`);

    const taskQueue = options.taskQueue ?? TASK_QUEUE;
    const workerEnv: Record<string, string> = {
      ...LOCAL_ENV,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      CIRCLE_API_BASE_URL: simulator.url,
      CLIVE_API_BASE_URL: `${simulator.url}/api/v1`,
      // The simulator has no rate limit to protect: the demo and the bench may poll fast.
      ONBOARDING_MIN_POLL_INTERVAL_MS: '10',
      // The example inputs name their documents relative to the sample files.
      DOCUMENT_STORE_DIR: process.env.DOCUMENT_STORE_DIR ?? join(__dirname, '../examples/documents'),
    };
    const stack: LocalStack = {
      client: env.client,
      address: env.address,
      namespace,
      uiUrl,
      ...(metricsPort === undefined ? {} : { serverMetricsUrl: `http://127.0.0.1:${metricsPort}/metrics` }),
      simulator,
      taskQueue,
      stop,
    };

    if (options.worker === 'child') {
      const entry = options.workerEntry ?? require.resolve('../src/worker');
      const children: ChildProcess[] = []; // by slot: whichever workers run at the end are stopped
      closers.push(async () => void (await Promise.all(children.map((c) => stopChild(c)))));
      const startWorker = async (slot: number, extraEnv: Record<string, string> = {}) => {
        const child = await startChildWorker(
          entry,
          { ...workerEnv, ...options.workerEnv, ...extraEnv },
          options.workerNodeArgs,
        );
        children[slot] = child;
        await waitForPollers(env.client, namespace, taskQueue, child, stopping.signal);
        if (slot === 0) {
          stack.workerPid = child.pid;
          stack.workerProcess = child;
        }
        log(`worker process ${child.pid} polling "${taskQueue}"`);
        return child;
      };
      await Promise.all(Array.from({ length: options.workers ?? 1 }, (_, slot) => startWorker(slot)));
      stack.workerProcesses = children;
      stack.restartWorker = async (signal = 'SIGKILL', slot = 0, extraEnv = {}) => {
        if (stopping.signal.aborted) throw new Error('the stack is stopping');
        const child = children[slot];
        if (child) await stopChild(child, signal);
        return startWorker(slot, extraEnv);
      };
      stack.addWorker = (extraEnv) => {
        if (stopping.signal.aborted) throw new Error('the stack is stopping');
        return startWorker(children.length, extraEnv);
      };
    } else if (options.worker !== false) {
      const start = () =>
        startInProcessWorker(
          env,
          namespace,
          taskQueue,
          { ...workerEnv, ...options.workerEnv },
          options.tuning,
          log,
        );
      let worker = await start();
      closers.push(() => worker.stop());
      stack.withWorkerStopped = async (during) => {
        await worker.stop();
        try {
          await during();
        } finally {
          if (!stopping.signal.aborted) worker = await start();
        }
      };
      stack.workerPid = process.pid;
      log(`worker polling "${taskQueue}" in this process`);
    }
    if (options.service) {
      const settings = options.service === true ? {} : options.service;
      stack.service = await startService(env.client, simulator, { ...workerEnv }, settings, closers);
      log(`onboarding service at ${stack.service.url}, subscribed to the simulator's notifications`);
    }
    return stack;
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * The Web UI's port when none is given: 8233, where `temporal server start-dev` serves it (so the
 * usual bookmarks work), or the next free port, said in the log. (The SDK's default, the gRPC port
 * + 1000, changes with every run.)
 */
async function webUiPort(log: (line: string) => void): Promise<number> {
  const port = (await firstFreePortFrom(TEMPORAL_UI_PORT)) ?? (await freePort());
  if (port !== TEMPORAL_UI_PORT) log(`port ${TEMPORAL_UI_PORT} is taken: the Web UI is on ${port}`);
  return port;
}

/** The Temporal CLI's dev server, with the onboarding search attributes registered. */
async function startDevServer(
  options: LocalStackOptions,
  uiPort: number | undefined,
  metricsPort: number | undefined,
  dataConverter: ReturnType<typeof dataConverterFor>,
  log: (line: string) => void,
): Promise<TestWorkflowEnvironment> {
  const { path } = await resolveTemporalCli({ log });
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path },
      searchAttributes: [...ONBOARDING_SEARCH_ATTRIBUTES],
      ui: options.ui ?? false,
      uiPort,
      log: { format: 'json', level: 'error' },
      // The CLI prints a banner on stdout; scripts keep stdout for their results.
      extraArgs: [
        '--output',
        'none',
        ...(metricsPort === undefined ? [] : ['--metrics-port', String(metricsPort)]),
        ...Object.entries(options.dynamicConfig ?? {}).flatMap(([key, value]) => [
          '--dynamic-config-value',
          `${key}=${JSON.stringify(value)}`,
        ]),
      ],
    },
    client: { dataConverter },
  });
}

/**
 * The onboarding service on loopback with a fresh API key, trusting the simulator's signing
 * certificate (a local-only setting), and subscribed to the simulator's notifications.
 */
async function startService(
  client: Client,
  simulator: RunningSimulator,
  env: Record<string, string>,
  settings: { port?: number; onRelayed?: ConfiguredServiceOptions['onRelayed'] },
  closers: Closer[],
): Promise<{ url: string; apiKey: string }> {
  const apiKey = randomBytes(24).toString('base64url');
  const config = loadConfig(
    localEnv({
      ...env,
      SERVICE_API_KEYS: `local:${hashApiKey(apiKey)}:write`,
      CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS: simulator.url,
    }),
  );
  const app = serviceFromConfig(config, client, { onRelayed: settings.onRelayed });
  const url = await app.listen({ host: '127.0.0.1', port: settings.port ?? 0 });
  closers.push(() => app.close());
  const res = await fetch(`${simulator.url}/v1/notifications/subscriptions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${config.circle.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ endpoint: `${url}${CIRCLE_NOTIFICATIONS_PATH}` }),
  });
  if (res.status !== 200)
    throw new Error(`subscribing the service failed: ${res.status} ${await res.text()}`);
  return { url, apiKey };
}

/** Quiet SDK logs, and no SIGINT/SIGTERM handlers: the scripts own shutdown and its order. */
function installQuietRuntime(level: 'WARN' | 'ERROR'): void {
  try {
    Runtime.install({
      logger: new DefaultLogger(level),
      // The SDK core logs to stdout by default; forwarded, its lines go to stderr like the rest.
      telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: level }) } },
      shutdownSignals: [],
    });
  } catch {
    // Already installed by the caller: keep its settings.
  }
}

async function startInProcessWorker(
  env: TestWorkflowEnvironment,
  namespace: string,
  taskQueue: string,
  workerEnv: Record<string, string>,
  tuning: OnboardingWorkerOptions['tuning'],
  log: (line: string) => void,
): Promise<{ stop: Closer }> {
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../src/workflows'),
    logger: new DefaultLogger('WARN'),
  });
  // The same configuration path as a worker process pointed at the stack by environment variables.
  const config = loadConfig(localEnv(workerEnv));
  const worker = await createOnboardingWorker({
    connection: env.nativeConnection,
    namespace,
    taskQueue,
    workflowBundle,
    deps: { ...depsFromConfig(config), ownRuns: ownRunsOf(env.client) },
    dataConverter: dataConverterFor(config),
    tuning,
    taskQueueActivitiesPerSecond: config.taskQueueActivitiesPerSecond,
  });
  const running = worker.run().catch((err: Error) => log(`worker stopped with an error: ${err.message}`));
  return {
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}

export async function startChildWorker(
  entry: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<ChildProcess> {
  // A .ts entry runs compiled, as production does (compiled-entry.ts says why), with no loader.
  const child = fork(compiledEntry(entry), [], {
    env: { ...process.env, ...env },
    execArgv: nodeArgs,
    // Its stdout goes to our stderr: scripts keep stdout for their results.
    stdio: ['ignore', process.stderr, 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return child;
}

/** Stops a worker process gracefully (SIGTERM: in-flight tasks finish), then forcibly after 15 s. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Waits until the child worker polls both workflow and activity tasks, failing if it exits first. Only
 * its own pollers count (the SDK's identity is `<pid>@<host>`): a killed predecessor stays listed.
 * A task queue has partitions (4 by default); with several workers, one may poll only non-root ones,
 * which describing the root does not show: each partition is looked at.
 */
async function waitForPollers(
  client: Client,
  namespace: string,
  taskQueue: string,
  child: ChildProcess,
  stopping: AbortSignal,
  timeoutMs = 60_000,
): Promise<void> {
  const { TaskQueueType } = temporal.api.enums.v1;
  const partitions = [taskQueue, ...[1, 2, 3].map((n) => `/_sys/${taskQueue}/${n}`)];
  const polled = async (type: temporal.api.enums.v1.TaskQueueType) => {
    for (const name of partitions) {
      const { pollers } = await client.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name },
        taskQueueType: type,
      });
      if (pollers.some((p) => p.identity?.startsWith(`${child.pid}@`))) return true;
    }
    return false;
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping.aborted) throw new Error('the stack is stopping');
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the worker process exited (${child.exitCode ?? child.signalCode}) before it polled`);
    }
    if (
      (await polled(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)) &&
      (await polled(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY))
    ) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the worker process did not poll task queue "${taskQueue}" within ${timeoutMs / 1000} s`);
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
