// `npm run -s soak -- [--count N] [--seed S] [--concurrency C] [--fault-rate P] [--kill-every S]
// [--max-kills K] [--timeout S] [--realism-share P]`: N onboardings of mixed scenarios through the whole
// stack (dev server, simulator, one worker in a child process) while the simulator injects faults on
// every endpoint, a share of the onboardings meets each realism mode (dev/soak/realism.ts) and the
// worker is SIGKILLed and replaced; then checks that every side effect happened exactly once.
// Progress on stderr; one JSON summary on stdout; exit 1 when a check fails.
import { randomBytes } from 'node:crypto';
import { startLocalStack } from './local-stack';
import { runStackScript, type ScriptContext } from './stack-script';
import { parseCommandLine, SOAK_OPTIONS, SOAK_USAGE_OPTIONS, soakArgs } from './soak/options';
import { runSoak } from './soak/run';
import { TUNED_DEV_SERVER, writeWorkflowBundle } from './local-tools';

const log = (line: string) => process.stderr.write(`[soak] ${line}\n`);
const USAGE = `usage: npm run -s soak -- ${SOAK_USAGE_OPTIONS}`;

async function main({ bundleDir, stackStarting }: ScriptContext): Promise<Record<string, unknown>> {
  const args = soakArgs(parseCommandLine(SOAK_OPTIONS));
  const runId = randomBytes(3).toString('hex');
  const began = Date.now();

  // Bundled once: each replacement worker loads the finished bundle and starts in seconds.
  log('bundling workflow code');
  const bundlePath = await writeWorkflowBundle(bundleDir);

  const starting = startLocalStack({
    dynamicConfig: TUNED_DEV_SERVER,
    simulator: { reviewDelayMs: 100, accountActivationDelayMs: 100 },
    worker: 'child',
    workerEntry: require.resolve('./child-worker'),
    workerEnv: { CHILD_WORKFLOW_BUNDLE: bundlePath },
    taskQueue: `soak-${runId}`,
    sdkLogLevel: 'ERROR',
  });
  stackStarting(starting);
  const stack = await starting;
  try {
    return await runSoak(stack, args, runId, began);
  } finally {
    await stack.stop();
  }
}

runStackScript({
  name: 'soak',
  usage: USAGE,
  log,
  main,
  exitCode: (summary) => (summary.ok === true ? 0 : 1),
});
