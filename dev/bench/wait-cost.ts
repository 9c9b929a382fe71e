// `npm run bench -- --parked N --wait-cost`: what a parked onboarding costs while it waits, in each of
// the four waits, and how fast a notification moves a parked review on. Each wait in turn: N
// onboardings parked there with short polls (pollInterval = maxPollInterval = the lap time), a window
// of their laps measured (server requests, CPU, Circle requests; events from their histories), then
// terminated. A continue-as-new probe, then the notification latency with N parked in review. The
// per-lap costs become costs per day on the production schedule (wait-cost-model.ts).
import type { RelayTimes } from '../bench-service';
import type { LocalStack } from '../local-stack';
import { round } from '../local-tools';
import { vmRssMiB } from '../proc';
import { settledCounts } from '../server-metrics';
import { probeContinueAsNew } from './continue-as-new-probe';
import { idOf } from './inputs';
import { historyGain, lessIdle, perEach, startWindow, total, type Usage } from './lap-window';
import { measureNotificationLatency, MAX_DECISIONS } from './notification-latency';
import { parkInWaves, terminateAll } from './parking';
import { settledRss, type RssSampler } from './rss';
import { assumptions, costTable, dailyCost, productionSchedule, type LapCost } from './wait-cost-model';
import { WAIT_KINDS, WAITS, waitInput, type WaitKind } from './wait-kinds';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const IDLE_MS = 20_000;
/** The lap time makes N onboardings poll about this many times a second (production: N / 600). */
const LAPS_PER_SECOND = 20;
const MIN_LAP_MS = 2_000;
const MAX_LAP_MS = 600_000;
/** A window covers at least two laps of every parked onboarding, and a minute (the server's counters lag by up to a second at each end). */
const MIN_WINDOW_MS = 60_000;
/** Accounts stay pending this long at the simulator while the waits are measured. */
const HELD_ACCOUNT_MS = 7 * 24 * 60 * 60 * 1000;

export interface WaitCostOptions {
  /** Onboardings parked in each wait. */
  n: number;
  concurrency: number;
  /** The lap time; by default N / 20 seconds, between 2 s and 10 min. */
  lapSeconds?: number;
  prefix: string;
  log: (line: string) => void;
}

export function lapMsFor(n: number, lapSeconds?: number): number {
  if (lapSeconds !== undefined) return lapSeconds * 1000;
  return Math.min(MAX_LAP_MS, Math.max(MIN_LAP_MS, Math.ceil(n / LAPS_PER_SECOND) * 1000));
}

export async function measureWaitCost(
  stack: LocalStack,
  rss: RssSampler,
  relayTimes: RelayTimes,
  opts: WaitCostOptions,
): Promise<Record<string, unknown>> {
  const { log } = opts;
  const schedule = productionSchedule();
  // The counters settle first: the stack's start is not idle time.
  if (stack.serverMetricsUrl) await settledCounts(stack.serverMetricsUrl);
  log(`idle: ${IDLE_MS / 1000} s with nothing parked`);
  const idle = await measureFor(stack, IDLE_MS);

  const { waits, continueAsNew } = await withAccountsHeld(stack, async () => {
    const measured: Partial<Record<WaitKind, KindResult>> = {};
    for (const kind of WAIT_KINDS) measured[kind] = await measureKind(stack, rss, kind, idle, opts);
    return {
      waits: measured as Record<WaitKind, KindResult>,
      continueAsNew: await probeContinueAsNew(stack, WAIT_KINDS, opts.prefix, log),
    };
  });

  log(`notification latency: ${opts.n} parked in review, at most ${MAX_DECISIONS} decided`);
  const notificationLatency = await measureNotificationLatency(stack, rss, relayTimes, opts);

  const rows = WAIT_KINDS.map((kind) => {
    const lap = waits[kind].lap;
    const overhead = continueAsNew[kind]!.overheadEvents;
    return {
      kind,
      lap,
      without: dailyCost(kind, lap, overhead, schedule, false),
      with: dailyCost(kind, lap, overhead, schedule, true),
    };
  });
  const stated = assumptions(schedule);
  log('cost of waiting, per parked onboarding:');
  for (const line of costTable(rows)) log(`  ${line}`);
  for (const line of stated) log(`  - ${line}`);
  log(
    `  notification to next step (${notificationLatency.decided} decided, ${notificationLatency.parked} parked): ` +
      `p50 ${notificationLatency.decisionToNextStepMs.p50} ms, p99 ${notificationLatency.decisionToNextStepMs.p99} ms, ` +
      `max ${notificationLatency.decisionToNextStepMs.max} ms; ${notificationLatency.wokenByNotification} woken by their notification, ${notificationLatency.deliveries.retried} delivered again after a refusal`,
  );

  return {
    parkedPerWait: opts.n,
    production: schedule,
    assumptions: stated,
    idle: {
      ms: idle.to - idle.from,
      serverCpuMsPerSecond: perSecond(idle.cpuMs.server, idle),
      workerCpuMsPerSecond: perSecond(idle.cpuMs.worker, idle),
      benchProcessCpuMsPerSecond: perSecond(idle.cpuMs.bench, idle),
      serverRequestsPerSecond: idle.server ? perSecond(total(idle.server.requests), idle) : null,
      serverRequestsByTypePerSecond: idle.server
        ? perEach(idle.server.requests, (idle.to - idle.from) / 1000)
        : null,
    },
    waits: Object.fromEntries(WAIT_KINDS.map((k) => [k, waits[k].report])),
    continueAsNew: {
      includedInHistoryEvents: true,
      atEvents: schedule.continueAsNewAtEvents,
      probe: continueAsNew,
    },
    perParkedOnboardingPerDay: {
      notificationsNotFlowing: Object.fromEntries(rows.map((r) => [r.kind, r.without])),
      notificationsFlowing: Object.fromEntries(rows.map((r) => [r.kind, r.with])),
    },
    notificationLatency,
    // This process holds the simulator's state of every onboarding the run started.
    benchProcessRssMiB: round(vmRssMiB(process.pid) ?? NaN),
  };
}

/** Runs `fn` while new accounts stay pending at the simulator (the activation wait parks). */
async function withAccountsHeld<T>(stack: LocalStack, fn: () => Promise<T>): Promise<T> {
  stack.simulator.control.setDelays({ accountActivationDelayMs: HELD_ACCOUNT_MS });
  try {
    return await fn();
  } finally {
    stack.simulator.control.setDelays({}); // the start-up delays again
  }
}

const perSecond = (v: number | undefined, u: Usage) =>
  v === undefined ? null : round(v / ((u.to - u.from) / 1000), 2);

async function measureFor(stack: LocalStack, ms: number): Promise<Usage> {
  const end = await startWindow(stack);
  await sleep(ms);
  return end();
}

interface KindResult {
  lap: LapCost;
  report: Record<string, unknown>;
}

async function measureKind(
  stack: LocalStack,
  rss: RssSampler,
  kind: WaitKind,
  idle: Usage,
  opts: WaitCostOptions,
): Promise<KindResult> {
  const { n, concurrency, prefix, log } = opts;
  const lapMs = lapMsFor(n, opts.lapSeconds);
  const before = rss.sample();
  rss.reset();
  log(`${kind}: parking ${n} onboardings that poll every ${lapMs / 1000} s`);
  const { ids, parked, parkMs } = await parkInWaves(
    stack,
    rss,
    {
      step: WAITS[kind].step,
      n,
      concurrency,
      start: (i) => ({
        input: waitInput(kind, `${prefix} ${kind} ${i}`, { pollInterval: lapMs, maxPollInterval: lapMs }),
        workflowId: idOf(`${prefix} ${kind} ${i}`),
      }),
    },
    log,
  );
  try {
    if (parked < n)
      log(`${kind}: only ${parked} of ${n} parked in time; the others are measured where they are`);
    const rssParked = await settledRss(rss);
    await sleep(lapMs); // every one has polled at the lap pace before the window opens
    const windowMs = Math.max(MIN_WINDOW_MS, 2 * lapMs);
    log(`${kind}: measuring ${windowMs / 1000} s of laps`);
    const usage = lessIdle(await measureFor(stack, windowMs), idle);
    log(`${kind}: reading ${ids.length} histories`);
    const gain = await historyGain(stack.client, ids, usage.from, usage.to);
    if (gain.wholeLaps === 0) throw new Error(`${kind}: no whole lap in the ${windowMs / 1000} s window`);
    const { laps, wholeLaps, timersFired } = gain;
    const per = (v: number | undefined) => (v === undefined ? null : v / laps);
    const lap: LapCost = {
      historyEvents: gain.events / wholeLaps,
      serverRequests: usage.server ? total(usage.server.requests) / laps : null,
      persistenceRequests: usage.server ? total(usage.server.persistence) / laps : null,
      serverCpuMs: per(usage.cpuMs.server),
      workerCpuMs: per(usage.cpuMs.worker),
      circleRequests: total(usage.circle) / laps,
    };
    const r = (v: number | null, digits = 2) => (v === null ? null : round(v, digits));
    log(
      `${kind}: ${round(laps)} laps; per lap ${r(lap.historyEvents)} events, ${r(lap.serverRequests)} server requests, ` +
        `${r(lap.serverCpuMs)} + ${r(lap.workerCpuMs)} ms CPU, ${r(lap.circleRequests)} Circle requests`,
    );
    return {
      lap,
      report: {
        step: WAITS[kind].step,
        parked,
        parkMs,
        lapSeconds: lapMs / 1000,
        windowMs: usage.to - usage.from,
        laps: round(laps, 1),
        timersFired,
        eventsInWindow: gain.eventsInWindow,
        wholeLapsInHistories: wholeLaps,
        lapsPerParked: round(laps / ids.length, 2),
        workerRssMiBBeforeParking: round(before),
        workerRssMiBParked: round(rssParked),
        workerRssMiBParkedPeak: round(rss.peak),
        runsContinuedAsNewInWindow: gain.runsStartedInWindow,
        perLap: {
          historyEvents: r(lap.historyEvents),
          workflowTasks: r(gain.workflowTasks / wholeLaps),
          activityTasks: r(gain.activityTasks / wholeLaps),
          activityTasksByType: perEach(gain.activityTasksByType, wholeLaps),
          serverRequests: r(lap.serverRequests),
          serverRequestsByType: usage.server ? perEach(usage.server.requests, laps) : null,
          persistenceRequests: r(lap.persistenceRequests),
          persistenceRequestsByType: usage.server ? perEach(usage.server.persistence, laps) : null,
          serverCpuMs: r(lap.serverCpuMs),
          workerCpuMs: r(lap.workerCpuMs),
          // The simulator (answering the reads) and the idle service, in this process: Circle's side.
          benchProcessCpuMs: r(per(usage.cpuMs.bench)),
          circleRequests: r(lap.circleRequests),
          circleRequestsByRoute: perEach(usage.circle, laps),
        },
      },
    };
  } finally {
    log(`${kind}: terminating the ${ids.length} parked onboardings`);
    await terminateAll(stack, ids);
  }
}
