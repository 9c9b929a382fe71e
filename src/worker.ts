// Runs an onboarding worker: `npm run -s worker`. Configuration comes from the environment (config.ts).
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';
import { CircleClient } from './circle/client';
import { CliveClient } from './clive/client';
import { loadConfig, type Config } from './config';
import { createDocumentStore } from './documents/store';
import { TASK_QUEUE } from './contract';
import { dataConverterFor } from './temporal/data-converter';
import { ensureSearchAttributes } from './temporal/register-search-attributes';
import { ownRunsOf } from './temporal/own-runs';
import { workflowCode } from './temporal/workflow-bundle';

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
}

export function createOnboardingWorker(options: OnboardingWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    activities: createActivities(options.deps),
    dataConverter: options.dataConverter,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : workflowCode(process.env, log)),
    ...options.tuning,
  });
}

const log = (line: string) => console.error(line);

export function depsFromConfig(config: Config): ActivityDeps {
  return {
    circle: new CircleClient(config.circle),
    clive: new CliveClient(config.clive),
    documents: createDocumentStore(config.documents),
    minPollIntervalMs: config.onboarding.minPollIntervalMs,
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const { address, namespace } = config.temporal;

  // A client connection for the operator service and for visibility queries about the onboardings' own runs.
  const admin = await Connection.connect({ address });
  const added = await ensureSearchAttributes(admin, namespace);
  if (added.length) console.error(`registered search attributes: ${added.join(', ')}`);
  const visibility = new Client({ connection: admin, namespace });

  const connection = await NativeConnection.connect({ address });
  const worker = await createOnboardingWorker({
    connection,
    namespace,
    taskQueue: config.temporal.taskQueue,
    deps: { ...depsFromConfig(config), ownRuns: ownRunsOf(visibility) },
    dataConverter: dataConverterFor(config),
    tuning: withoutUndefined(config.worker),
  });
  console.error(
    `worker polling task queue "${config.temporal.taskQueue ?? TASK_QUEUE}" on ${address} (${namespace})`,
  );
  try {
    await worker.run(); // returns after SIGINT/SIGTERM once in-flight tasks finish
  } finally {
    await connection.close();
    await admin.close();
  }
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
