// The soak itself, on a running stack (`npm run soak`'s dev server, or `npm run cluster`'s): faults on,
// worker kills, N onboardings driven to their end, then every check; returns the JSON summary.
import type { LocalStack } from '../local-stack';
import { pool } from '../pool';
import { startChaos } from './chaos';
import { HISTORY_EVENTS_BOUND, verify } from './checks';
import { drive, type Run } from './drive';
import { calledButNotFaulted, faultRules, faultTally } from './faults';
import type { SoakArgs } from './options';
import { percentile } from '../local-tools';
import { SOAK_GLOBAL_REALISM } from './realism';
import { historyEvents, realismMix, stepTimes } from './report';

const log = (line: string) => process.stderr.write(`[soak] ${line}\n`);

export async function runSoak(
  stack: LocalStack,
  args: SoakArgs,
  runId: string,
  began: number,
): Promise<Record<string, unknown>> {
  const { simulator } = stack;
  simulator.control.setFaults({ rules: faultRules(args.faultRate), seed: args.seed });
  // Partner-wide modes for the whole run; share 0: the per-onboarding ones come from name tags only.
  if (args.realismShare > 0) simulator.control.setRealism({ modes: SOAK_GLOBAL_REALISM, share: 0 });
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
    realismShare: args.realismShare,
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
  simulator.control.setRealism({}); // and through whole lists (the name tags still apply)
  log('checking Temporal and the simulator');
  runs.sort((a, b) => a.index - b.index);
  const { checks, problems, seen } = await verify(stack, runs, chaos.unexpectedExits.length);
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
    realism: {
      share: args.realismShare,
      global: args.realismShare > 0 ? SOAK_GLOBAL_REALISM : {},
      ...realismMix(runs),
    },
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
    historyEvents: historyEvents(runs, seen, HISTORY_EVENTS_BOUND),
    stepMs: stepTimes(runs.map((r, i) => r.result?.timeline ?? seen[i]!.timeline)),
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
