// One measurement window of the wait-cost benchmark: what the dev server, the worker process, this
// process (simulator and service) and Circle (the simulator's request counts) did between two instants,
// and what the parked onboardings' histories gained in that time.
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { LocalStack } from '../local-stack';
import { pool } from '../pool';
import { cpuMeter, devServerPid } from '../proc';
import { scrapeServerCounts } from '../server-metrics';
import { msOf } from './event-time';

type Counts = Map<string, number>;

export interface Usage {
  from: number;
  to: number;
  /** CPU time (user + system) of each process, in ms; undefined where /proc could not be read. */
  cpuMs: { server?: number; worker?: number; bench?: number };
  /** Temporal server requests by `service/operation`, and database requests by operation. */
  server?: { requests: Counts; persistence: Counts };
  /** Circle (and Clive) requests by `<method> <route>`. */
  circle: Counts;
}

/**
 * Starts a window now; the function it returns ends it. The server's counters are read as they are:
 * it publishes them about once a second, so each end lags by up to a second, the same on average at
 * both ends (waiting for a fresh publication would cost the server a scrape every few ms: about
 * 8 ms of its CPU each).
 */
export async function startWindow(stack: LocalStack): Promise<() => Promise<Usage>> {
  const url = stack.serverMetricsUrl;
  const circle = () => new Map(Object.entries(stack.simulator.control.state().requestCounts));
  const serverBefore = url ? await scrapeServerCounts(url) : undefined;
  const circleBefore = circle();
  const cpu = cpuMeter({
    server: devServerPid(),
    worker: stack.workerPid === process.pid ? undefined : stack.workerPid,
    bench: process.pid,
  });
  const from = Date.now();
  return async () => {
    const to = Date.now();
    const cpuMs = cpu();
    const circleAfter = circle();
    const serverAfter = url ? await scrapeServerCounts(url) : undefined;
    return {
      from,
      to,
      cpuMs,
      server:
        serverBefore && serverAfter
          ? {
              requests: between(serverBefore.requests, serverAfter.requests),
              persistence: between(serverBefore.persistence, serverAfter.persistence),
            }
          : undefined,
      circle: between(circleBefore, circleAfter),
    };
  };
}

function between(before: Counts, after: Counts): Counts {
  return new Map([...after].map(([key, value]) => [key, value - (before.get(key) ?? 0)]));
}

/** `usage` less what the same time costs with nothing parked (`idle`, measured over another span). */
export function lessIdle(usage: Usage, idle: Usage): Usage {
  const scale = (usage.to - usage.from) / (idle.to - idle.from);
  const less = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? undefined : a - b * scale;
  const lessCounts = (a: Counts, b: Counts) =>
    new Map(
      [...new Set([...a.keys(), ...b.keys()])].map((k) => [k, (a.get(k) ?? 0) - (b.get(k) ?? 0) * scale]),
    );
  return {
    ...usage,
    cpuMs: {
      server: less(usage.cpuMs.server, idle.cpuMs.server),
      worker: less(usage.cpuMs.worker, idle.cpuMs.worker),
      bench: less(usage.cpuMs.bench, idle.cpuMs.bench),
    },
    server:
      usage.server && idle.server
        ? {
            requests: lessCounts(usage.server.requests, idle.server.requests),
            persistence: lessCounts(usage.server.persistence, idle.server.persistence),
          }
        : usage.server,
    circle: lessCounts(usage.circle, idle.circle),
  };
}

export const total = (counts: Counts) => [...counts.values()].reduce((a, b) => a + b, 0);

/** The counts divided by `n`, largest first, without the ones that round to nothing. */
export function perEach(counts: Counts, n: number, digits = 2): Record<string, number> {
  const f = 10 ** digits;
  return Object.fromEntries(
    [...counts]
      .map(([k, v]) => [k, Math.round((v / n) * f) / f] as const)
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1]),
  );
}

/**
 * What the histories of the parked onboardings gained between `from` and `to` (event times). A lap
 * starts with its poll timer firing. The per-lap history figures are counted over whole laps only,
 * from each onboarding's first timer in the window to its last. `laps` is what the window's totals are
 * divided by: the events recorded in the window over the events of a lap, so the laps the window's
 * ends cut count for the part of their work inside it (the onboardings were parked in waves: their
 * timers are bunched, and counting timers alone would miss or add the work of a bunch at an end).
 */
export interface HistoryGain {
  laps: number;
  /** Poll timers that fired in the window. */
  timersFired: number;
  /** All events recorded in the window. */
  eventsInWindow: number;
  /** Whole laps, and what they hold. */
  wholeLaps: number;
  events: number;
  workflowTasks: number;
  activityTasks: number;
  activityTasksByType: Counts;
  /** Onboardings whose current run started in the window (it continued as new): its earlier run's events are not counted. */
  runsStartedInWindow: number;
}

const { EventType } = temporal.api.enums.v1;

export async function historyGain(
  client: Client,
  ids: string[],
  from: number,
  to: number,
): Promise<HistoryGain> {
  const gain: HistoryGain = {
    laps: 0,
    timersFired: 0,
    eventsInWindow: 0,
    wholeLaps: 0,
    events: 0,
    workflowTasks: 0,
    activityTasks: 0,
    activityTasksByType: new Map(),
    runsStartedInWindow: 0,
  };
  await pool(ids.length, 20, async (i) => {
    const events = (await client.workflow.getHandle(ids[i]!).fetchHistory()).events ?? [];
    if (events.length && msOf(events[0]!.eventTime) >= from) gain.runsStartedInWindow++;
    const types = new Map<string, string>(); // scheduled event id → activity type
    for (const e of events) {
      const scheduled = e.activityTaskScheduledEventAttributes;
      if (scheduled) types.set(String(e.eventId), scheduled.activityType?.name ?? '?');
    }
    const inWindow = events.filter((e) => msOf(e.eventTime) >= from && msOf(e.eventTime) < to);
    const fired = inWindow.flatMap((e, at) => (e.eventType === EventType.EVENT_TYPE_TIMER_FIRED ? [at] : []));
    gain.timersFired += fired.length;
    gain.eventsInWindow += inWindow.length;
    if (fired.length < 2) return;
    gain.wholeLaps += fired.length - 1;
    for (const e of inWindow.slice(fired[0], fired.at(-1))) {
      gain.events++;
      if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) gain.workflowTasks++;
      const started = e.activityTaskStartedEventAttributes;
      if (started) {
        gain.activityTasks++;
        const type = types.get(String(started.scheduledEventId)) ?? '?';
        gain.activityTasksByType.set(type, (gain.activityTasksByType.get(type) ?? 0) + 1);
      }
    }
  });
  gain.laps = gain.events > 0 ? gain.eventsInWindow / (gain.events / gain.wholeLaps) : gain.timersFired;
  return gain;
}
