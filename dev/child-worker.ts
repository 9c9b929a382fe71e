// The worker process of `npm run bench` and `npm run soak`: the project's worker, configured from the
// environment like `npm run worker`, but running a workflow bundle built beforehand (so no bundler
// memory counts against its RSS and a replacement starts in seconds) with the tuning it is passed. The
// SDK's warnings (an activity failed on an injected fault, a workflow was denied) become one line each,
// so that thousands of them stay readable. Stops when its parent goes away.
import { DefaultLogger, makeTelemetryFilterString, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../src/config';
import { runChildMain, runUntilParentLeaves } from './child-main';
import { prometheusExporter } from '../src/observability/metrics';
import { observabilityOptionsFromEnv } from '../src/observability/options';
import { dataConverterFor } from '../src/temporal/data-converter';
import {
  createOnboardingWorker,
  depsFromConfig,
  tuningFrom,
  type OnboardingWorkerOptions,
} from '../src/worker';

const oneLine = new DefaultLogger('WARN', ({ level, message, meta }) => {
  const m = meta ?? {};
  const what = [m.activityType ?? m.workflowType, m.workflowId, m.attempt && `attempt ${String(m.attempt)}`];
  const error = m.error instanceof Error ? `: ${m.error.message}` : '';
  process.stderr.write(
    `[worker ${process.pid}] ${level} ${message} (${what.filter(Boolean).join(', ')})${error}\n`,
  );
});

async function main(): Promise<void> {
  const codePath = process.env.CHILD_WORKFLOW_BUNDLE;
  if (!codePath) throw new Error('CHILD_WORKFLOW_BUNDLE must name a pre-built workflow bundle');

  // The default shutdown signals stay on: SIGINT/SIGTERM let in-flight tasks finish, then run() returns.
  // METRICS_BIND_ADDRESS: the worker's metrics, for a bench or soak run to scrape (off by default).
  const { metricsBindAddress, shutdownGraceTimeMs } = observabilityOptionsFromEnv(process.env);
  Runtime.install({
    logger: oneLine,
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN' }) },
      ...(metricsBindAddress ? { metrics: prometheusExporter(metricsBindAddress) } : {}),
    },
  });
  const config = loadConfig();
  // The scripts' tuning first, then the worker's own settings (WORKER_MEMORY_BUDGET_MB, ...).
  const tuning: OnboardingWorkerOptions['tuning'] = {
    ...(JSON.parse(process.env.CHILD_WORKER_TUNING ?? '{}') as OnboardingWorkerOptions['tuning']),
    ...tuningFrom(config),
  };
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await createOnboardingWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    deps: depsFromConfig(config),
    dataConverter: dataConverterFor(config),
    workflowBundle: { codePath },
    tuning,
    taskQueueActivitiesPerSecond: config.taskQueueActivitiesPerSecond,
    deployment: config.deployment,
    // Only when asked for: bench and soak keep the SDK default (activities cancelled at once on SIGTERM).
    ...(process.env.WORKER_SHUTDOWN_GRACE_TIME ? { shutdownGraceTime: shutdownGraceTimeMs } : {}),
  });
  await runUntilParentLeaves(worker, connection);
}

runChildMain('child worker', main);
