// Runs an onboarding worker: `npm run -s worker`. Configuration comes from the environment (src/config/).
// Operable: /healthz and /readyz, Prometheus metrics, JSON logs, and a graceful stop on SIGTERM/SIGINT
// (observability/). Order: runtime, health server, connections, worker; and back in reverse.
import { getHeapStatistics } from 'node:v8';
import { Client, Connection } from '@temporalio/client';
import type { Logger } from '@temporalio/common';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';
import { CircleClient } from './circle/client';
import { CliveClient } from './clive/client';
import { loadConfig, type Config, type WorkerDeployment } from './config';
import { createDocumentStore } from './documents/store';
import { activitySlotsFor } from './partner-api/pacer';
import { PROVIDERS, providerTaskQueue, TASK_QUEUE, type Provider } from './contract';
import { startHealthServer } from './observability/health';
import { workerReadiness } from './observability/readiness';
import { installWorkerRuntime } from './observability/runtime';
import { startStepGauge } from './observability/step-gauge';
import { clientConnectionOptions, describeConnection, nativeConnectionOptions } from './temporal/connection';
import { dataConverterFor } from './temporal/data-converter';
import { ensureSearchAttributes } from './temporal/register-search-attributes';
import { ownRunsOf } from './temporal/own-runs';
import { workflowCode } from './temporal/workflow-bundle';
import { WorkerGroup } from './temporal/worker-group';
import { heapLimitAdvice } from './temporal/memory-budget';

export interface OnboardingWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue?: string;
  deps: ActivityDeps;
  /** A bundle built by the caller (tests); otherwise the prebuilt one or the sources (workflow-bundle.ts). */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Payload codecs (encryption) — must match the clients' data converter. */
  dataConverter?: WorkerOptions['dataConverter'];
  tuning?: Pick<
    WorkerOptions,
    'maxConcurrentActivityTaskExecutions' | 'maxCachedWorkflows' | 'maxConcurrentWorkflowTaskExecutions'
  >;
  /**
   * How long activities in flight may finish after shutdown begins; only then are they cancelled. The
   * SDK's default (0) cancels them at once, which tests that stop a worker "as a crash" rely on.
   */
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
  /**
   * Activities per second each partner's task queue hands out, across every worker (server-side:
   * `maxTaskQueueActivitiesPerSecond`). Unset: no cluster-wide limit.
   */
  taskQueueActivitiesPerSecond?: Partial<Record<Provider, number>>;
  /**
   * Each partner's pace of requests on this worker (requests per second): a partner's queue then gets
   * the activity slots that pace serves (`activitySlotsFor`), unless `tuning` sets them.
   */
  partnerRequestsPerSecond?: Partial<Record<Provider, number>>;
  /**
   * The worker deployment version every SDK worker of the group polls as (Worker Versioning): each
   * onboarding runs on the version it started on. Unset: unversioned (local runs and tests).
   */
  deployment?: WorkerDeployment;
}

/**
 * One SDK worker for the workflows' task queue and one per partner's queue, on one connection. Every
 * worker registers every activity: runs started before the partner queues existed schedule theirs on
 * the workflows' queue.
 */
export async function createOnboardingWorker(options: OnboardingWorkerOptions): Promise<WorkerGroup> {
  const taskQueue = options.taskQueue ?? TASK_QUEUE;
  const { maxConcurrentActivityTaskExecutions, ...workflowTuning } = options.tuning ?? {};
  const common = {
    connection: options.connection,
    namespace: options.namespace,
    activities: createActivities(options.deps),
    dataConverter: options.dataConverter,
    ...(maxConcurrentActivityTaskExecutions ? { maxConcurrentActivityTaskExecutions } : {}),
    ...(options.shutdownGraceTime !== undefined ? { shutdownGraceTime: options.shutdownGraceTime } : {}),
    ...(options.deployment ? { workerDeploymentOptions: deploymentOptions(options.deployment) } : {}),
  };
  // Onboardings that call Circle locally do it from this worker: as many at once as Circle's pace serves.
  const circlePace = options.deps.localCircleCalls ? options.partnerRequestsPerSecond?.circle : undefined;
  const workflows = await Worker.create({
    ...common,
    taskQueue,
    ...(circlePace ? { maxConcurrentLocalActivityExecutions: activitySlotsFor(circlePace) } : {}),
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : workflowCode(process.env, log)),
    ...workflowTuning,
  });
  const partners = await Promise.all(
    PROVIDERS.map((provider) => {
      const limit = options.taskQueueActivitiesPerSecond?.[provider];
      const pace = options.partnerRequestsPerSecond?.[provider];
      return Worker.create({
        ...common,
        taskQueue: providerTaskQueue(taskQueue, provider),
        ...(limit ? { maxTaskQueueActivitiesPerSecond: limit } : {}),
        ...(pace && !maxConcurrentActivityTaskExecutions
          ? { maxConcurrentActivityTaskExecutions: activitySlotsFor(pace) }
          : {}),
      });
    }),
  );
  return new WorkerGroup([workflows, ...partners]);
}

/**
 * Worker Versioning: this build is one version of the worker deployment. Onboardings are `PINNED` (here,
 * not on the workflow: workflows/versions.ts says why): a run stays on the version it started on and moves to a
 * newer one only when it continues as new at a wait. The partner queues' workers are in the same
 * version, so a pinned run's activities are run by its own build.
 */
export function deploymentOptions(deployment: WorkerDeployment): WorkerOptions['workerDeploymentOptions'] {
  return {
    version: { deploymentName: deployment.name, buildId: deployment.buildId },
    useWorkerVersioning: true,
    defaultVersioningBehavior: 'PINNED',
  };
}

/** Through the runtime's logger, so a JSON log stays JSON (Worker.create would install one anyway). */
const log = (line: string) => Runtime.instance().logger.info(line);

export function depsFromConfig(config: Config): ActivityDeps {
  return {
    circle: new CircleClient(config.circle),
    clive: new CliveClient(config.clive),
    documents: createDocumentStore(config.documents),
    minPollIntervalMs: config.onboarding.minPollIntervalMs,
    localCircleCalls: config.localCircleCalls,
  };
}

let logger: Logger | undefined;

async function main(): Promise<void> {
  const config = loadConfig();
  const { observability } = config;
  const { namespace, connection: temporal } = config.temporal;
  const taskQueue = config.temporal.taskQueue ?? TASK_QUEUE;

  // Before any connection: the runtime is created once per process, by whatever comes first.
  const runtime = installWorkerRuntime(observability);
  logger = runtime.logger;
  const shutdown = gracefulShutdown(runtime.logger);
  if (config.memoryBudgetMiB !== undefined) {
    runtime.logger.info(
      `workflow cache: ${config.worker.maxCachedWorkflows} onboardings (WORKER_MEMORY_BUDGET_MB=${config.memoryBudgetMiB})`,
    );
    const advice = heapLimitAdvice(config.memoryBudgetMiB, getHeapStatistics().heap_size_limit / 2 ** 20);
    if (advice) runtime.logger.warn(advice);
  }
  let ready: (() => Promise<boolean>) | undefined; // set once the worker exists
  const health =
    observability.healthPort === undefined
      ? undefined
      : await startHealthServer({
          port: observability.healthPort,
          host: observability.healthHost,
          ready: () => ready?.() ?? false,
        });
  if (health) runtime.logger.info(`health on port ${health.port}: /healthz, /readyz`);
  if (observability.metricsBindAddress) {
    runtime.logger.info(`Prometheus metrics on http://${observability.metricsBindAddress}/metrics`);
  }

  // A client connection for the operator service and for visibility queries about the onboardings' own runs.
  const admin = await Connection.connect(clientConnectionOptions(temporal));
  try {
    const added = await ensureSearchAttributes(admin, namespace);
    if (added.length) runtime.logger.info(`registered search attributes: ${added.join(', ')}`);
    const visibility = new Client({ connection: admin, namespace });

    const connection = await NativeConnection.connect(nativeConnectionOptions(temporal));
    try {
      const worker = await createOnboardingWorker({
        connection,
        namespace,
        taskQueue,
        deps: { ...depsFromConfig(config), ownRuns: ownRunsOf(visibility) },
        dataConverter: dataConverterFor(config),
        tuning: tuningFrom(config),
        shutdownGraceTime: observability.shutdownGraceTimeMs,
        taskQueueActivitiesPerSecond: config.taskQueueActivitiesPerSecond,
        partnerRequestsPerSecond: {
          circle: config.circle.pace?.requestsPerSecond,
          clive: config.clive.pace?.requestsPerSecond,
        },
        deployment: config.deployment,
      });
      ready = workerReadiness(worker, connection);
      const gauge = observability.stepGauge
        ? startStepGauge({
            client: visibility,
            namespace,
            taskQueue,
            meter: runtime.metricMeter,
            logger: runtime.logger,
          })
        : undefined;
      const queues = [taskQueue, ...PROVIDERS.map((p) => providerTaskQueue(taskQueue, p))];
      if (!config.deployment && config.environment === 'production') {
        runtime.logger.warn(
          'WORKER_DEPLOYMENT_NAME and WORKER_BUILD_ID are unset: this worker is unversioned, so a rollback or two images on one task queue can fail onboardings with nondeterminism errors',
        );
      }
      const version = config.deployment
        ? `worker deployment ${config.deployment.name}, build ${config.deployment.buildId}`
        : 'unversioned';
      runtime.logger.info(
        `worker polling task queues ${queues.join(', ')} on ${describeConnection(temporal)} (${version}; ONBOARDING_ENV=${config.environment})`,
      );
      try {
        await shutdown.run(worker); // returns once in-flight tasks finished after SIGINT/SIGTERM
      } finally {
        await gauge?.stop();
      }
    } finally {
      await connection.close();
    }
  } finally {
    await admin.close();
    await health?.close(); // last: /readyz answers 503 until the very end
  }
}

/**
 * SIGTERM/SIGINT stop polling at once (so /readyz turns 503) and let activities in flight finish within
 * the grace time; a second signal exits without waiting. A signal during start-up skips the run.
 */
function gracefulShutdown(log: Logger) {
  let worker: WorkerGroup | undefined;
  let requested = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (requested) {
      log.warn(`${signal} again: exiting without waiting for tasks in flight`);
      process.exit(1);
    }
    requested = true;
    log.info(`${signal}: shutting down, activities in flight may finish`);
    if (worker?.getState() === 'RUNNING') worker.shutdown();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return {
    async run(w: WorkerGroup): Promise<void> {
      worker = w;
      if (requested) return;
      await w.run();
      log.info('worker stopped');
    },
  };
}

if (require.main === module) {
  main().catch((err: Error) => {
    if (logger) logger.error(err.message, { error: err });
    else console.error(err.message);
    process.exit(1);
  });
}

/** The worker settings of the configuration (cache size, activity slots), those that are set. */
export function tuningFrom(config: Config): OnboardingWorkerOptions['tuning'] {
  return Object.fromEntries(Object.entries(config.worker).filter(([, v]) => v !== undefined));
}
