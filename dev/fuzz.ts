// `npm run -s fuzz -- [--runs N] [--seed S] [--path P] ...`: randomized model-based tests of callers
// racing the onboarding (dev/fuzz/): fast-check generates onboardings and sequences of messages, Circle
// decisions, realism modes, faults, worker restarts and resets, run one at a time against the real
// worker, dev server and simulator, each checked against a model and against what Circle holds.
// Progress on stderr; one JSON summary on stdout; exit 1 when a sequence fails (with the command
// line that replays it).
import { randomBytes } from 'node:crypto';
import { startLocalStack } from './local-stack';
import { runStackScript, type ScriptContext } from './stack-script';
import { FUZZ_USAGE_OPTIONS, fuzzArgs } from './fuzz/options';
import { runFuzz } from './fuzz/run';
import { TUNED_DEV_SERVER, writeWorkflowBundle } from './local-tools';

const log = (line: string) => process.stderr.write(`[fuzz] ${line}\n`);

async function main({ bundleDir, stackStarting }: ScriptContext): Promise<Record<string, unknown>> {
  const args = fuzzArgs();
  const tag = randomBytes(3).toString('hex');
  // Bundled once: a restarted worker loads the finished bundle and polls again in seconds.
  log('bundling workflow code');
  const bundlePath = await writeWorkflowBundle(bundleDir);
  const starting = startLocalStack({
    dynamicConfig: TUNED_DEV_SERVER,
    simulator: { reviewDelayMs: 50, accountActivationDelayMs: 100 },
    worker: 'child',
    workerEntry: require.resolve('./child-worker'),
    workerEnv: {
      CHILD_WORKFLOW_BUNDLE: bundlePath,
      ...(args.localCalls ? { WORKER_LOCAL_CIRCLE_CALLS: 'true' } : {}),
    },
    taskQueue: `fuzz-${tag}`,
    sdkLogLevel: 'ERROR',
  });
  stackStarting(starting);
  const stack = await starting;
  try {
    return await runFuzz(stack, args, tag);
  } finally {
    await stack.stop();
  }
}

runStackScript({
  name: 'fuzz',
  usage: `usage: npm run -s fuzz -- ${FUZZ_USAGE_OPTIONS}`,
  log,
  main,
  exitCode: (summary) => (summary.ok === true ? 0 : 1),
});
