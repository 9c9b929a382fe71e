// `npm run -s soak -- [--count N] [--seed S] [--concurrency C] [--fault-rate P] [--kill-every S]
// [--max-kills K] [--timeout S]`: N onboardings of mixed scenarios through the whole stack (dev server,
// simulator, one worker in a child process) while the simulator injects faults on every endpoint and
// the worker is SIGKILLed and replaced; then checks that every side effect happened exactly once.
// Progress on stderr; one JSON summary on stdout; exit 1 when a check fails.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startLocalStack, type LocalStack } from './local-stack';
import { runStackScript, UsageError, type ScriptContext } from './stack-script';
import { startChaos } from './soak/chaos';
import { pool } from './pool';
import { verify } from './soak/checks';
import { drive, type Run } from './soak/drive';
import { calledButNotFaulted, faultRules, faultTally } from './soak/faults';
import { TUNED_DEV_SERVER, writeWorkflowBundle } from './local-tools';

const log = (line: string) => process.stderr.write(`[soak] ${line}\n`);
const USAGE =
  'usage: npm run -s soak -- [--count N] [--seed S] [--concurrency C] [--fault-rate P] [--kill-every S] [--max-kills K] [--timeout S]';

function parseOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        count: { type: 'string', default: '50' },
        seed: { type: 'string', default: '1' },
        concurrency: { type: 'string', default: '10' },
        'fault-rate': { type: 'string', default: '0.05' },
        'kill-every': { type: 'string', default: '8' },
        'max-kills': { type: 'string' },
        timeout: { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const num = (v: string | undefined, name: string, min: number, max = Infinity, integer = true) => {
    const n = Number(v);
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max)
      throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}]`);
    return n;
  };
  const count = num(values.count, 'count', 1);
  return {
    count,
    seed: num(values.seed, 'seed', 0),
    concurrency: num(values.concurrency, 'concurrency', 1),
    faultRate: num(values['fault-rate'], 'fault-rate', 0, 1, false),
    killEveryS: num(values['kill-every'], 'kill-every', 1, Infinity, false),
    // A kill stalls the onboardings it caught for seconds: a few, more for longer runs.
    maxKills:
      values['max-kills'] === undefined
        ? Math.min(10, Math.max(4, Math.ceil(count / 20)))
        : num(values['max-kills'], 'max-kills', 0),
    // Room for the worker kills: an activity running in a killed worker is retried only after its
    // 45 s start-to-close timeout.
    timeoutS: values.timeout === undefined ? 180 + 2 * count : num(values.timeout, 'timeout', 1),
  };
}

async function main({ bundleDir, stackStarting }: ScriptContext): Promise<Record<string, unknown>> {
  const args = parseOptions();
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
    return await soak(stack, args, runId, began);
  } finally {
    await stack.stop();
  }
}

async function soak(
  stack: LocalStack,
  args: ReturnType<typeof parseOptions>,
  runId: string,
  began: number,
): Promise<Record<string, unknown>> {
  const { simulator } = stack;
  simulator.control.setFaults({ rules: faultRules(args.faultRate), seed: args.seed });
  const chaos = startChaos(stack, { everyMs: args.killEveryS * 1000, maxKills: args.maxKills, log });
  const deadline = Date.now() + args.timeoutS * 1000;
  const started = Date.now();
  const runs: Run[] = [];
  const reporter = setInterval(() => {
    const done = runs.filter((r) => r.outcome !== 'not-started').length;
    const faults = faultTally(simulator.control.faults()).total;
    log(`${done}/${args.count} ended, ${faults} faults injected, ${chaos.kills} worker kills`);
  }, 5000);

  log(`${args.count} onboardings, at most ${args.concurrency} in flight, seed ${args.seed}`);
  const ctx = {
    client: stack.client,
    taskQueue: stack.taskQueue,
    simulator,
    runId,
    seed: args.seed,
    deadline,
  };
  await pool(args.count, args.concurrency, async (i) => {
    const run = await drive(ctx, i);
    runs.push(run);
    if (run.outcome === 'timeout')
      log(`#${i} ${run.scenario.name} ${run.workflowId} still running at the timeout`);
    return run;
  });
  const durationMs = Date.now() - started;
  clearInterval(reporter);
  await chaos.stop(); // a replacement worker is polling again before anything is read back

  const active = simulator.control.faults();
  const { requests } = simulator.control.state(); // the run's requests, before the checks add theirs
  simulator.control.clearFaults(); // the checks read through the same API, without faults
  log('checking Temporal and the simulator');
  runs.sort((a, b) => a.index - b.index);
  const { checks, problems } = await verify(stack, runs, chaos.unexpectedExits.length);
  const faults = { ...faultTally(active), calledButNotFaulted: calledButNotFaulted(requests, active) };

  const tally = (key: (r: Run) => string) =>
    runs.reduce<Record<string, number>>((acc, r) => ({ ...acc, [key(r)]: (acc[key(r)] ?? 0) + 1 }), {});
  const latencies = runs.filter((r) => r.outcome !== 'not-started').map((r) => r.ms);
  return {
    ok: checks.every((c) => c.ok),
    count: args.count,
    seed: args.seed,
    concurrency: args.concurrency,
    faultRate: args.faultRate,
    killEveryS: args.killEveryS,
    maxKills: args.maxKills,
    scenarios: tally((r) => r.scenario.name),
    outcomes: tally((r) => (r.outcome === 'failed' ? `failed:${r.failureType}` : r.outcome)),
    faultsInjected: faults,
    workerKills: chaos.kills,
    unexpectedWorkerExits: chaos.unexpectedExits,
    rfiAnswersRetried: runs.reduce((a, r) => a + r.answersRetried, 0),
    durationMs,
    onboardingsPerSecond: Math.round((args.count / (durationMs / 1000)) * 100) / 100,
    latencyMs: {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: Math.max(...latencies),
    },
    wallClockMs: Date.now() - began,
    // The simulator keeps its last 5000 requests only.
    requestLog: { entries: requests.length, idempotentReplays: requests.filter((r) => r.replay).length },
    checks: Object.fromEntries(checks.map(({ name, ...c }) => [name, c])),
    failedChecks: checks.filter((c) => !c.ok).map((c) => c.name),
    problems: problems.slice(0, 20), // onboardings that failed a check, with what failed
    onboardingsWithProblems: problems.length,
    timeoutS: args.timeoutS,
  };
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

runStackScript({
  name: 'soak',
  usage: USAGE,
  log,
  main,
  exitCode: (summary) => (summary.ok === true ? 0 : 1),
});
