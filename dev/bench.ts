// `npm run bench -- [--count N] [--concurrency C] [--compare] [--engine-floor] [--worker-cpu-prof DIR] [--parked N] [--wait-cost] [--max-cached N] [--stock-server]`:
// throughput, latency, cost per onboarding (history events, tasks, server and worker CPU) and worker
// memory of happy-path onboardings against the simulator (zero review and activation delays), with ONE
// worker in a child process; `--compare` runs the same calls without Temporal (the floor) and gives
// the ratios; `--parked N --wait-cost` what N onboardings parked in each wait cost per day
// (bench/wait-cost.ts). Progress on stderr; one JSON object on stdout. The method: docs/demo-and-bench.md.
import { pool } from './pool';
import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { measureService, RelayTimes } from './bench-service';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../src/activities';
import { loadConfig } from '../src/config';
import type { OnboardingInput } from '../src/contract';
import { localEnv, startLocalStack, type LocalStack } from './local-stack';
import { runStackScript, UsageError, type ScriptContext } from './stack-script';
import { startOnboarding } from '../src/contract';
import { depsFromConfig } from '../src/worker';
import { heapLimitFor } from '../src/temporal/memory-budget';
import { percentile, round, TUNED_DEV_SERVER, writeWorkflowBundle } from './local-tools';
import { cpuMeter, devServerPid } from './proc';
import { serverMeter } from './server-metrics';
import { measureEngineFloor } from './engine-floor/measure';
import { benchInput, idOf } from './bench/inputs';
import { parkInWaves, terminateAll } from './bench/parking';
import { RssSampler, settledRss } from './bench/rss';
import { measureWaitCost } from './bench/wait-cost';
import { measureNotificationLatency } from './bench/notification-latency';
import { msOf } from './bench/event-time';

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Poll fast in the throughput run (the simulator decides at once). Parked runs back off to minutes,
// like production, so that waiting for an RFI answer costs the worker nothing.
const FAST = { pollInterval: 10, maxPollInterval: 100 } as const;
const PARKED = { pollInterval: '1 second', maxPollInterval: '10 minutes' } as const;

const USAGE =
  'usage: npm run bench -- [--count N] [--concurrency C] [--compare] [--engine-floor] [--local-calls] [--worker-cpu-prof DIR] [--parked N [--wait-cost [--lap-seconds S] | --notification-latency]] [--service N] [--max-cached N] [--stock-server]\n' +
  '  --wait-cost: N onboardings parked in EACH wait, the cost of waiting per day and the notification latency (--count and --service default to 0 then)\n' +
  "  --notification-latency: only the last part of --wait-cost: N parked in review, the worker's RSS, and decision to next step";

function parseOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        count: { type: 'string' },
        concurrency: { type: 'string', default: '10' },
        parked: { type: 'string', default: '0' },
        'max-cached': { type: 'string' },
        'stock-server': { type: 'boolean', default: false },
        service: { type: 'string' },
        'wait-cost': { type: 'boolean', default: false },
        'notification-latency': { type: 'boolean', default: false },
        'lap-seconds': { type: 'string' },
        compare: { type: 'boolean', default: false },
        'engine-floor': { type: 'boolean', default: false },
        'local-calls': { type: 'boolean', default: false },
        'worker-cpu-prof': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const int = (v: string | undefined, name: string, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}`);
    return n;
  };
  const notificationLatency = values['notification-latency'] ?? false;
  if (notificationLatency && values['wait-cost'])
    throw new UsageError('--notification-latency is a part of --wait-cost: give one of them');
  const parked = int(values.parked, 'parked', 0);
  if (notificationLatency && parked < 1)
    throw new UsageError('--notification-latency needs --parked N (N >= 1 parked in review)');
  // Either way the measurement wants a quiet stack, as the cost of waiting does.
  const waitCost = (values['wait-cost'] ?? false) || notificationLatency;
  if (waitCost && parked < 1) throw new UsageError('--wait-cost needs --parked N (N >= 1 in each wait)');
  if (values['lap-seconds'] !== undefined && !waitCost)
    throw new UsageError('--lap-seconds goes with --wait-cost');
  // The cost of waiting is measured on a quiet stack: nothing else runs unless asked for.
  const byDefault = (v: string | undefined, usual: string) => v ?? (waitCost ? '0' : usual);
  return {
    count: int(byDefault(values.count, '50'), 'count', 0),
    concurrency: int(values.concurrency, 'concurrency', 1),
    parked,
    waitCost,
    notificationLatency,
    lapSeconds:
      values['lap-seconds'] === undefined ? undefined : int(values['lap-seconds'], 'lap-seconds', 1),
    maxCached: values['max-cached'] === undefined ? undefined : int(values['max-cached'], 'max-cached', 0),
    stockServer: values['stock-server'] ?? false,
    service: int(byDefault(values.service, '20'), 'service', 0),
    compare: values.compare ?? false,
    engineFloor: values['engine-floor'] ?? false,
    localCalls: values['local-calls'] ?? false,
    workerCpuProfDir: values['worker-cpu-prof'],
  };
}

const median = (values: number[]) => percentile(values, 50);

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// Onboardings through Temporal, and the same activity sequence called directly.

interface Run {
  workflowId: string;
  ms: number;
}

async function runWorkflows(
  stack: LocalStack,
  prefix: string,
  n: number,
  concurrency: number,
): Promise<Run[]> {
  return pool(n, concurrency, async (i) => {
    const started = performance.now();
    const handle = await startOnboarding(stack.client, benchInput(`${prefix} ${i}`, FAST), {
      workflowId: idOf(`${prefix} ${i}`),
      taskQueue: stack.taskQueue,
    });
    await withTimeout(handle.result(), 120_000, `onboarding ${handle.workflowId} did not finish`);
    return { workflowId: handle.workflowId, ms: performance.now() - started };
  });
}

type Activities = ReturnType<typeof createActivities>;
interface Call {
  type: string;
  ms: number;
}

/**
 * The workflow's happy path as plain calls of the same activity functions (which use the project's
 * CircleClient), with the same poll backoff, in a mock activity context: no server, no worker.
 */
async function directOnboarding(acts: Activities, input: OnboardingInput, calls: Call[]): Promise<void> {
  const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('WARN') });
  const call = async <K extends keyof Activities>(
    name: K,
    ...args: Parameters<Activities[K]>
  ): Promise<Awaited<ReturnType<Activities[K]>>> => {
    const run = env.run.bind(env) as (fn: unknown, ...a: unknown[]) => Promise<unknown>;
    const started = performance.now();
    const result = await run(acts[name], ...args);
    calls.push({ type: name, ms: performance.now() - started });
    return result as Awaited<ReturnType<Activities[K]>>;
  };
  const poll = async <T>(check: () => Promise<T | undefined>): Promise<T> => {
    for (
      let interval = Number(FAST.pollInterval);
      ;
      interval = Math.min(interval * 2, FAST.maxPollInterval)
    ) {
      const value = await check();
      if (value !== undefined) return value;
      await sleep(interval);
    }
  };

  const { clientEntityId, applicationId } = await call('createClient', input.client, randomUUID());
  const sections = input.sections ?? {};
  const problems = await call('checkSections', applicationId, sections);
  if (problems.length) throw new Error(`direct run: invalid sections ${JSON.stringify(problems)}`);
  await call('saveSections', applicationId, sections, 'bulk');
  await call('listSections', applicationId);
  await call('submitApplication', applicationId, input.submission, randomUUID());
  const decision = await poll(async () => {
    const { status } = await call('getApplication', applicationId);
    return status === 'SUBMITTED' || status === 'IN_REVIEW' ? undefined : status;
  });
  if (decision !== 'APPROVED') throw new Error(`direct run: application ${decision}`);
  const account = await call('createCustodyAccount', clientEntityId, input.account.description, randomUUID());
  await poll(async () => {
    const { status } = await call('getAccount', account.accountId);
    return status === 'pending' ? undefined : status;
  });
}

async function runDirect(acts: Activities, prefix: string, n: number, concurrency: number) {
  const calls: Call[] = [];
  const runs = await pool(n, concurrency, async (i) => {
    const started = performance.now();
    await directOnboarding(acts, benchInput(`${prefix} ${i}`, FAST), calls);
    return performance.now() - started;
  });
  return { runs, calls };
}

// ---------------------------------------------------------------------------------------------
// Steps from workflow histories

const { EventType } = temporal.api.enums.v1;

/**
 * One step = one activity execution. Its time runs from the event that let the workflow go on (its
 * start, the previous activity's completion, or a poll timer firing) to the ActivityTaskCompleted
 * event: workflow task, dispatch, the HTTP call itself, and recording the result.
 */
function stepsOf(history: temporal.api.history.v1.IHistory): Call[] {
  const pending = new Map<string, { type: string; readyAt: number }>();
  const steps: Call[] = [];
  let readyAt = 0;
  for (const event of history.events ?? []) {
    const at = msOf(event.eventTime);
    switch (event.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
      case EventType.EVENT_TYPE_TIMER_FIRED:
        readyAt = at;
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        pending.set(String(event.eventId), {
          type: event.activityTaskScheduledEventAttributes?.activityType?.name ?? '?',
          readyAt,
        });
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
        const id = String(event.activityTaskCompletedEventAttributes?.scheduledEventId);
        const scheduled = pending.get(id);
        if (scheduled) steps.push({ type: scheduled.type, ms: at - scheduled.readyAt });
        readyAt = at;
        break;
      }
    }
  }
  return steps;
}

/** What one onboarding cost Temporal, read from its history. */
interface HistoryCost {
  events: number;
  workflowTasks: number;
  activityTasks: number;
  localActivities: number;
  /** Activity tasks by activity type. */
  byType: Map<string, number>;
}

function costOf(history: temporal.api.history.v1.IHistory): HistoryCost {
  const cost = { events: 0, workflowTasks: 0, activityTasks: 0, localActivities: 0, byType: new Map() };
  const types = new Map<string, string>(); // scheduled event id → activity type
  for (const event of history.events ?? []) {
    cost.events++;
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) types.set(String(event.eventId), scheduled.activityType?.name ?? '?');
    const started = event.activityTaskStartedEventAttributes;
    if (started) {
      const type = types.get(String(started.scheduledEventId)) ?? '?';
      cost.byType.set(type, (cost.byType.get(type) ?? 0) + 1);
    }
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) cost.workflowTasks++;
    if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) cost.activityTasks++;
    if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity') cost.localActivities++;
  }
  return cost;
}

async function fetchHistories(client: Client, ids: string[]): Promise<temporal.api.history.v1.IHistory[]> {
  return pool(ids.length, 20, async (i) => client.workflow.getHandle(ids[i]!).fetchHistory());
}

// ---------------------------------------------------------------------------------------------
// Parked onboardings: waiting for RFI answers

async function park(stack: LocalStack, rss: RssSampler, prefix: string, n: number, concurrency: number) {
  const before = rss.sample();
  rss.reset();
  const { ids, parked, parkMs } = await parkInWaves(
    stack,
    rss,
    {
      step: 'awaiting-rfi-answers',
      n,
      concurrency,
      start: (i) => ({
        input: benchInput(`${prefix} parked ${i} [rfi]`, PARKED),
        workflowId: idOf(`${prefix} parked ${i}`),
      }),
    },
    log,
  );
  log("holding 5 s to read the worker's RSS");
  const settled = await settledRss(rss);
  const peak = rss.peak;

  log(`terminating the ${n} parked onboardings`);
  await terminateAll(stack, ids);
  return {
    parked,
    parkMs,
    workerRssMiBBeforeParking: round(before),
    workerRssMiBParked: round(settled),
    workerRssMiBParkedPeak: round(peak),
    mibPerParked: parked > 0 ? round((settled - before) / parked, 3) : null,
  };
}

/**
 * `count` onboardings at most `concurrency` in flight, timed: the CPU of the dev server, the worker
 * and this process (the simulator and the starting client), the server's requests, and the histories.
 */
async function timedRun(stack: LocalStack, prefix: string, count: number, concurrency: number) {
  const serverUsed = await serverMeter(stack.serverMetricsUrl);
  const cpuUsed = cpuMeter({
    server: devServerPid(),
    worker: stack.workerPid === process.pid ? undefined : stack.workerPid,
    bench: process.pid,
  });
  const started = performance.now();
  const runs = await runWorkflows(stack, prefix, count, concurrency);
  const durationMs = performance.now() - started;
  const cpu = cpuUsed();
  const server = await serverUsed(count);
  log('reading workflow histories');
  const histories = await fetchHistories(
    stack.client,
    runs.map((r) => r.workflowId),
  );
  const costs = histories.map(costOf);
  const mean = (k: Exclude<keyof HistoryCost, 'byType'>) =>
    round(costs.reduce((sum, c) => sum + c[k], 0) / count, 1);
  const byType = new Map<string, number>();
  for (const [type, n] of costs.flatMap((c) => [...c.byType])) byType.set(type, (byType.get(type) ?? 0) + n);
  const perOnboarding = (ms: number | undefined) => (ms === undefined ? null : round(ms / count, 1));
  const temporalCpuMs =
    cpu.server === undefined || cpu.worker === undefined ? null : perOnboarding(cpu.server + cpu.worker);
  return {
    runs,
    durationMs,
    cpu,
    server,
    histories,
    mean,
    byType,
    perOnboarding,
    temporalCpuMs,
    onboardingsPerSecond: round(count / (durationMs / 1000), 2),
  };
}

/**
 * The same onboardings on a worker restarted with WORKER_LOCAL_CIRCLE_CALLS=true (README "Local Circle
 * calls"), against the regular run just measured: throughput, CPU, p50 and server requests.
 */
async function measureLocalCalls(
  stack: LocalStack,
  prefix: string,
  count: number,
  concurrency: number,
  regular: { onboardingsPerSecond: number; temporalCpuMs: number | null; p50Ms: number; requests?: number },
) {
  log('restarting the worker with WORKER_LOCAL_CIRCLE_CALLS=true');
  expectedWorkerExit = true;
  await stack.restartWorker!('SIGTERM', 0, { WORKER_LOCAL_CIRCLE_CALLS: 'true' });
  await runWorkflows(stack, `${prefix} local warmup`, Math.min(concurrency, 5), concurrency);
  log(`${count} onboardings calling Circle from local activities, at most ${concurrency} in flight`);
  const t = await timedRun(stack, `${prefix} local`, count, concurrency);
  const p50Ms = round(
    percentile(
      t.runs.map((r) => r.ms),
      50,
    ),
  );
  const requests = t.server?.requests;
  return {
    onboardingsPerSecond: t.onboardingsPerSecond,
    p50Ms,
    p99Ms: round(
      percentile(
        t.runs.map((r) => r.ms),
        99,
      ),
    ),
    perOnboarding: {
      historyEvents: t.mean('events'),
      activityTasks: t.mean('activityTasks'),
      localActivities: t.mean('localActivities'),
      serverCpuMs: t.perOnboarding(t.cpu.server),
      workerCpuMs: t.perOnboarding(t.cpu.worker),
      temporalCpuMs: t.temporalCpuMs,
      serverRequests: requests ?? null,
    },
    ratioToRegular: {
      throughput: round(t.onboardingsPerSecond / regular.onboardingsPerSecond, 2),
      temporalCpu:
        t.temporalCpuMs !== null && regular.temporalCpuMs
          ? round(t.temporalCpuMs / regular.temporalCpuMs, 2)
          : null,
      p50: round(p50Ms / regular.p50Ms, 2),
      serverRequests: requests && regular.requests ? round(requests / regular.requests, 2) : null,
    },
  };
}

/** Set before the bench restarts its worker on purpose: that exit is not a failure. */
let expectedWorkerExit = false;

// ---------------------------------------------------------------------------------------------

async function main({ bundleDir, stackStarting }: ScriptContext): Promise<Record<string, unknown>> {
  const args = parseOptions();
  const runId = randomBytes(3).toString('hex');
  const relayTimes = new RelayTimes();
  const tuning: Record<string, number> =
    args.maxCached === undefined ? {} : { maxCachedWorkflows: args.maxCached };

  // Bundled here, once: the worker process loads the finished bundle and never runs the bundler.
  log('bundling workflow code');
  const bundlePath = await writeWorkflowBundle(bundleDir);

  const budget = loadConfig(localEnv()).memoryBudgetMiB;
  if (budget) log(`WORKER_MEMORY_BUDGET_MB=${budget}: worker heap limit ${heapLimitFor(budget)} MiB`);
  const starting = startLocalStack({
    dynamicConfig: args.stockServer ? {} : TUNED_DEV_SERVER,
    serverMetrics: true,
    simulator: { reviewDelayMs: 0, accountActivationDelayMs: 0 },
    worker: 'child',
    workerEntry: require.resolve('./child-worker'),
    workerEnv: {
      CHILD_WORKFLOW_BUNDLE: bundlePath,
      CHILD_WORKER_TUNING: JSON.stringify(tuning),
      // As the Docker image runs the worker (docs/worker-memory.md): fewer malloc arenas.
      ...(budget ? { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' } : {}),
    },
    // As docs/worker-memory.md asks of a worker with a memory budget: a heap limit that goes with it.
    workerNodeArgs: [
      ...(budget ? [`--max-old-space-size=${heapLimitFor(budget)}`] : []),
      // V8 CPU profiles of the worker's threads (main and workflows), written when it stops.
      ...(args.workerCpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(args.workerCpuProfDir)}`] : []),
    ],
    taskQueue: `bench-${runId}`,
    service: args.service > 0 || args.waitCost ? { onRelayed: relayTimes.record } : false,
  });
  stackStarting(starting);
  const stack = await starting;
  const rss = new RssSampler(stack.workerPid!);
  try {
    // Without its worker nothing would finish: fail at once instead of waiting.
    const workerExited = new Promise<never>((_, reject) =>
      stack.workerProcess?.once('exit', (code, signal) => {
        if (!expectedWorkerExit) reject(new Error(`the worker process exited (${code ?? signal})`));
      }),
    );
    workerExited.catch(() => undefined); // it also exits on stop(), after the race is over
    return await Promise.race([
      measure(stack, rss, args, runId, tuning, relayTimes, bundleDir),
      workerExited,
    ]);
  } finally {
    rss.stop();
    await stack.stop();
  }
}

/** Latency through Temporal against the same calls made directly, overall and per step. */
async function compare(
  histories: temporal.api.history.v1.IHistory[],
  runs: Run[],
  direct: { runs: number[]; calls: Call[] },
) {
  const steps = histories.flatMap(stepsOf);
  const directByType = new Map<string, number[]>();
  for (const c of direct.calls) {
    if (!directByType.has(c.type)) directByType.set(c.type, []);
    directByType.get(c.type)!.push(c.ms);
  }
  const overheads = steps
    .filter((s) => directByType.has(s.type))
    .map((s) => s.ms - median(directByType.get(s.type)!));
  const perOnboarding = steps.length / runs.length;
  const wf = runs.map((r) => r.ms);
  return {
    p50Ms: round(percentile(wf, 50)),
    p99Ms: round(percentile(wf, 99)),
    activitiesPerOnboarding: round(perOnboarding, 2),
    overheadPerStepMs: { p50: round(percentile(overheads, 50)), p99: round(percentile(overheads, 99)) },
    overheadPerStepFromE2eMs: {
      p50: round((percentile(wf, 50) - percentile(direct.runs, 50)) / perOnboarding),
      p99: round((percentile(wf, 99) - percentile(direct.runs, 99)) / perOnboarding),
    },
    direct: {
      p50Ms: round(percentile(direct.runs, 50)),
      p99Ms: round(percentile(direct.runs, 99)),
      callsPerOnboarding: round(direct.calls.length / direct.runs.length, 2),
      callP50Ms: round(median(direct.calls.map((c) => c.ms))),
    },
  };
}

async function measure(
  stack: LocalStack,
  rss: RssSampler,
  args: ReturnType<typeof parseOptions>,
  runId: string,
  tuning: Record<string, number>,
  relayTimes: RelayTimes,
  bundleDir: string,
): Promise<Record<string, unknown>> {
  const { count, concurrency } = args;
  const acts = createActivities(
    depsFromConfig(
      loadConfig(
        localEnv({
          CIRCLE_API_BASE_URL: stack.simulator.url,
          CLIVE_API_BASE_URL: `${stack.simulator.url}/api/v1`,
        }),
      ),
    ),
  );
  const report: Record<string, unknown> = { count, concurrency };

  if (count > 0) {
    const warmup = Math.min(concurrency, 5);
    log(`warming up with ${warmup} onboardings${args.compare ? ' each way' : ''}`);
    await runWorkflows(stack, `Bench ${runId} warmup`, warmup, concurrency);
    if (args.compare) await runDirect(acts, `Bench ${runId} warmup direct`, warmup, concurrency);

    log(`${count} onboardings through Temporal, at most ${concurrency} in flight`);
    rss.reset();
    const timed = await timedRun(stack, `Bench ${runId}`, count, concurrency);
    const { runs, durationMs, cpu, server, histories, mean, byType, perOnboarding, onboardingsPerSecond } =
      timed;
    const { temporalCpuMs } = timed;
    const workerRssMiB = rss.peak;
    const wf = runs.map((r) => r.ms);
    Object.assign(report, {
      durationMs: Math.round(durationMs),
      onboardingsPerSecond,
      p50Ms: round(percentile(wf, 50)),
      p99Ms: round(percentile(wf, 99)),
      perOnboarding: {
        historyEvents: mean('events'),
        workflowTasks: mean('workflowTasks'),
        activityTasks: mean('activityTasks'),
        activityTasksByType: Object.fromEntries(
          [...byType].sort((a, b) => b[1] - a[1]).map(([type, n]) => [type, round(n / count, 2)]),
        ),
        localActivities: mean('localActivities'),
        serverCpuMs: perOnboarding(cpu.server),
        workerCpuMs: perOnboarding(cpu.worker),
        temporalCpuMs,
        // The simulator and the starting client, which run in this process.
        benchProcessCpuMs: perOnboarding(cpu.bench),
        serverRequests: server?.requests ?? null,
        persistenceRequests: server?.persistenceRequests ?? null,
      },
      cpuMeasuredFrom:
        '/proc/<pid>/stat (utime + stime) of the dev server and the worker, over the timed run',
      ...(server
        ? {
            serverRequestsPerOnboarding: server.topRequests,
            persistenceRequestsPerOnboarding: server.topPersistence,
            serverCountedFrom:
              "the dev server's Prometheus counters service_requests and persistence_requests",
          }
        : {}),
      workerRssMiB: round(workerRssMiB),
    });

    if (args.compare) {
      log(`${count} onboardings as direct activity calls (the floor), at most ${concurrency} in flight`);
      const directStarted = performance.now();
      const direct = await runDirect(acts, `Bench ${runId} direct`, count, concurrency);
      const floorPerSecond = round(count / ((performance.now() - directStarted) / 1000), 2);
      const loaded = await compare(histories, runs, direct);

      // The same comparison one onboarding at a time: Temporal's own latency, without queueing for CPU.
      const probe = Math.min(count, 10);
      log(`${probe} onboardings each way, one at a time`);
      const probeRuns = await runWorkflows(stack, `Bench ${runId} probe`, probe, 1);
      const idle = await compare(
        await fetchHistories(
          stack.client,
          probeRuns.map((r) => r.workflowId),
        ),
        probeRuns,
        await runDirect(acts, `Bench ${runId} probe direct`, probe, 1),
      );
      Object.assign(report, {
        floor: {
          what: 'the same HTTP calls made directly, no Temporal (no durability)',
          onboardingsPerSecond: floorPerSecond,
          p50Ms: loaded.direct.p50Ms,
          p99Ms: loaded.direct.p99Ms,
          callsPerOnboarding: loaded.direct.callsPerOnboarding,
        },
        ratio: {
          throughput: round(onboardingsPerSecond / floorPerSecond, 3),
          p50: round(percentile(wf, 50) / loaded.direct.p50Ms, 2),
        },
        overheadPerStepMs: loaded.overheadPerStepMs,
        overheadPerStepFromE2eMs: loaded.overheadPerStepFromE2eMs,
        oneAtATime: { count: probe, ...idle },
      });
    }
    report.activitiesPerOnboarding = mean('activityTasks');
    const regular = {
      onboardingsPerSecond,
      temporalCpuMs,
      p50Ms: round(percentile(wf, 50)),
      requests: server?.requests,
    };

    if (args.engineFloor) {
      const shape = {
        activities: Math.round(mean('activityTasks')),
        localActivities: Math.round(mean('localActivities')),
        count,
        concurrency,
      };
      log(
        `engine floor: ${count} workflows of ${shape.activities} no-op activities and ${shape.localActivities} local`,
      );
      const engine = await measureEngineFloor(stack, shape, bundleDir);
      Object.assign(report, {
        engineFloor: engine,
        ratioToEngineFloor: {
          throughput: round(onboardingsPerSecond / engine.onboardingsPerSecond, 3),
          temporalCpu:
            temporalCpuMs !== null && engine.temporalCpuMs
              ? round(temporalCpuMs / engine.temporalCpuMs, 2)
              : null,
        },
      });
    }
    // Last: it restarts the worker.
    if (args.localCalls) {
      report.localCircleCalls = await measureLocalCalls(stack, `Bench ${runId}`, count, concurrency, regular);
    }
  }

  if (args.notificationLatency) {
    log(`notification latency: ${args.parked} onboardings parked in review`);
    report.notificationLatency = await measureNotificationLatency(stack, rss, relayTimes, {
      n: args.parked,
      concurrency,
      prefix: `Bench ${runId}`,
      log,
    });
  } else if (args.waitCost) {
    log(`the cost of waiting: ${args.parked} onboardings parked in each wait`);
    report.waitCost = await measureWaitCost(stack, rss, relayTimes, {
      n: args.parked,
      concurrency,
      lapSeconds: args.lapSeconds,
      prefix: `Bench ${runId}`,
      log,
    });
  } else if (args.parked > 0) {
    log(`parking ${args.parked} onboardings at their RFI`);
    Object.assign(report, await park(stack, rss, `Bench ${runId}`, args.parked, concurrency));
  }
  if (args.service > 0) {
    log(`${args.service} onboardings started through the HTTP service, decided by notification`);
    report.service = await measureService(stack, relayTimes, (name) => benchInput(name, PARKED), {
      count: args.service,
      concurrency,
      prefix: `Bench ${runId} service`,
    });
  }
  report.workerTuning = Object.keys(tuning).length ? tuning : 'SDK defaults';
  report.devServer = args.stockServer ? 'stock' : TUNED_DEV_SERVER;
  return report;
}

runStackScript({ name: 'bench', usage: USAGE, log, main });
