// `npm run -s cluster -- [--count N] [--workers W] [--shards S] [--seed S] [soak options]`: the soak
// (dev/soak/) against a real Temporal server instead of the dev server: the server built from source
// (cached), with S history shards, persistence and visibility on a throwaway PostgreSQL, and W worker
// processes killed in turn. `--rollout [--per-wait N] [--new-starts M]`: instead, a new worker version
// rolled out under onboardings parked in every wait, with Worker Versioning (dev/rollout/run.ts). Everything runs in a temp directory that is removed at the end, also on
// failure and Ctrl-C. Progress on stderr; one JSON line on stdout; exit 1 when a check fails.
import { randomBytes } from 'node:crypto';
import { startLocalStack } from './local-stack';
import { runStackScript, type ScriptContext } from './stack-script';
import { ACTIVATION_DELAY_MS, DEPLOYMENT, runRollout } from './rollout/run';
import { writeWorkflowBundle } from './local-tools';
import { startCluster } from './cluster/start';
import { numberOption, parseCommandLine, SOAK_OPTIONS, SOAK_USAGE_OPTIONS, soakArgs } from './soak/options';
import { runSoak } from './soak/run';

const log = (line: string) => process.stderr.write(`[cluster] ${line}\n`);
const USAGE = `usage: npm run -s cluster -- [--workers W] [--shards S] ${SOAK_USAGE_OPTIONS}
       npm run -s cluster -- --rollout [--per-wait N] [--new-starts M] [--shards S]`;
const OPTIONS = {
  ...SOAK_OPTIONS,
  count: { type: 'string', default: '200' },
  workers: { type: 'string', default: '3' },
  shards: { type: 'string', default: '4' },
  rollout: { type: 'boolean', default: false },
  'per-wait': { type: 'string', default: '2' },
  'new-starts': { type: 'string', default: '4' },
} as const;

async function main({ bundleDir, stackStarting, atExit }: ScriptContext): Promise<Record<string, unknown>> {
  const values = parseCommandLine(OPTIONS);
  if (values.rollout) return rollout(values, { bundleDir, stackStarting, atExit });
  const args = soakArgs(values);
  const workers = numberOption(values.workers, 'workers', 1, 32);
  const shards = numberOption(values.shards, 'shards', 1, 1024);
  const runId = randomBytes(3).toString('hex');
  const began = Date.now();

  const cluster = await startCluster(bundleDir, { shards, namespace: 'default', log, atExit });
  log('bundling workflow code');
  const bundlePath = await writeWorkflowBundle(bundleDir);
  const starting = startLocalStack({
    temporal: { address: cluster.address, namespace: cluster.namespace },
    simulator: { reviewDelayMs: 100, accountActivationDelayMs: 100 },
    worker: 'child',
    workers,
    workerEntry: require.resolve('./child-worker'),
    workerEnv: { CHILD_WORKFLOW_BUNDLE: bundlePath },
    taskQueue: `cluster-${runId}`,
    sdkLogLevel: 'ERROR',
  });
  stackStarting(starting);
  const stack = await starting;
  let summary: Record<string, unknown>;
  try {
    summary = await runSoak(stack, args, runId, began);
  } finally {
    await stack.stop();
  }
  const checks = Object.values(summary.checks as Record<string, { ok: boolean }>);
  return {
    ok: summary.ok,
    server: { temporal: cluster.version, persistence: 'postgresql', shards, ...cluster.timings },
    workers,
    count: summary.count,
    onboardingsPerSecond: summary.onboardingsPerSecond,
    latencyMs: summary.latencyMs,
    outcomes: summary.outcomes,
    checksPassed: checks.filter((c) => c.ok).length,
    checksTotal: checks.length,
    ...summary,
  };
}

/** A v1 worker process on the product's bundle, v2 (one more activity before submit) added later. */
async function rollout(
  values: ReturnType<typeof parseCommandLine<typeof OPTIONS>>,
  { bundleDir, stackStarting, atExit }: ScriptContext,
): Promise<Record<string, unknown>> {
  const perWait = numberOption(values['per-wait'], 'per-wait', 1, 50);
  const newStarts = numberOption(values['new-starts'], 'new-starts', 0, 200);
  const shards = numberOption(values.shards, 'shards', 1, 1024);
  const runId = randomBytes(3).toString('hex');
  const cluster = await startCluster(bundleDir, { shards, namespace: 'default', log, atExit });
  log('bundling workflow code: v1 (the product) and v2 (one more activity before submit)');
  const v1 = await writeWorkflowBundle(bundleDir);
  const v2 = await writeWorkflowBundle(bundleDir, {
    name: 'v2',
    workflowInterceptorModules: [require.resolve('./rollout/v2-workflow')],
  });
  const starting = startLocalStack({
    temporal: { address: cluster.address, namespace: cluster.namespace },
    simulator: { reviewDelayMs: 100, accountActivationDelayMs: ACTIVATION_DELAY_MS },
    worker: 'child',
    workers: 1,
    workerEntry: require.resolve('./child-worker'),
    workerEnv: { CHILD_WORKFLOW_BUNDLE: v1, WORKER_DEPLOYMENT_NAME: DEPLOYMENT, WORKER_BUILD_ID: 'v1' },
    taskQueue: `rollout-${runId}`,
    sdkLogLevel: 'ERROR',
  });
  stackStarting(starting);
  const stack = await starting;
  try {
    const summary = await runRollout(stack, { v2 }, { runId, perWait, newStarts, log });
    return {
      server: { temporal: cluster.version, persistence: 'postgresql', shards, ...cluster.timings },
      ...summary,
    };
  } finally {
    await stack.stop();
  }
}

runStackScript({
  name: 'cluster',
  usage: USAGE,
  log,
  main,
  exitCode: (summary) => (summary.ok === true ? 0 : 1),
});
