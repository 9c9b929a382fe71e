// What continuing as new costs a parked onboarding, in history events: a few onboardings per wait with
// the smallest `maxHistoryEvents` (100) and fast polls, until a run that began by continuing as new has
// itself continued as new. That run's events beyond its laps (the closing event, and what the new run
// does before its first lap: its start, routing, the wait's first read) are the cost of one
// continue-as-new, which the cost model spreads over a run's length at the production threshold.
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { LocalStack } from '../local-stack';
import { round } from '../local-tools';
import { startOnboarding } from '../../src/contract';
import { idOf } from './inputs';
import { terminateAll } from './parking';
import { WAITS, waitInput, type WaitKind } from './wait-kinds';

const { EventType } = temporal.api.enums.v1;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const PROBES_PER_KIND = 2;
const PROBE_OPTIONS = { pollInterval: 250, maxPollInterval: 250, maxHistoryEvents: 100 } as const;
const PROBE_TIMEOUT_MS = 180_000;

export interface ContinueAsNewCost {
  /** Events of a whole run (begun and ended by continue-as-new), mean over the probes. */
  runEvents: number;
  lapsInRun: number;
  /** Events per lap inside that run. */
  eventsPerLap: number;
  /** The run's events beyond its laps: what one continue-as-new adds. */
  overheadEvents: number;
}

export async function probeContinueAsNew(
  stack: LocalStack,
  kinds: readonly WaitKind[],
  prefix: string,
  log: (line: string) => void,
): Promise<Record<string, ContinueAsNewCost>> {
  const started = kinds.flatMap((kind) =>
    Array.from({ length: PROBES_PER_KIND }, (_, i) => ({ kind, name: `${prefix} can ${kind} ${i}` })),
  );
  const handles = await Promise.all(
    started.map(({ kind, name }) =>
      startOnboarding(stack.client, waitInput(kind, name, PROBE_OPTIONS), {
        workflowId: idOf(name),
        taskQueue: stack.taskQueue,
      }),
    ),
  );
  log(
    `continue-as-new probe: ${handles.length} onboardings with maxHistoryEvents ${PROBE_OPTIONS.maxHistoryEvents}`,
  );
  try {
    const runs = await Promise.all(
      handles.map((h, i) => wholeRun(stack.client, h.workflowId, h.firstExecutionRunId, started[i]!.kind)),
    );
    const result: Record<string, ContinueAsNewCost> = {};
    for (const kind of kinds) {
      const mine = runs.filter((_, i) => started[i]!.kind === kind);
      const mean = (f: (r: ContinueAsNewCost) => number) =>
        round(mine.reduce((s, r) => s + f(r), 0) / mine.length, 1);
      result[kind] = {
        runEvents: mean((r) => r.runEvents),
        lapsInRun: mean((r) => r.lapsInRun),
        eventsPerLap: mean((r) => r.eventsPerLap),
        overheadEvents: mean((r) => r.overheadEvents),
      };
    }
    return result;
  } finally {
    await terminateAll(
      stack,
      handles.map((h) => h.workflowId),
    );
  }
}

/** The second run of the onboarding once it has continued as new in turn, measured. */
async function wholeRun(client: Client, workflowId: string, firstRunId: string, kind: WaitKind) {
  const deadline = Date.now() + PROBE_TIMEOUT_MS;
  let runId = firstRunId;
  for (let run = 1; ;) {
    const events = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    const next = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    if (next && run === 2) return measureRun(events, WAITS[kind].step);
    if (next) {
      runId = next;
      run++;
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${workflowId} did not continue as new twice in time`);
    await sleep(500);
  }
}

function measureRun(events: temporal.api.history.v1.IHistoryEvent[], step: string): ContinueAsNewCost {
  const fired = events
    .filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_FIRED)
    .map((e) => Number(e.eventId));
  if (fired.length < 2) throw new Error(`a run in ${step} had ${fired.length} laps: too few to measure`);
  const eventsPerLap = (fired.at(-1)! - fired[0]!) / (fired.length - 1);
  return {
    runEvents: events.length,
    lapsInRun: fired.length,
    eventsPerLap,
    overheadEvents: events.length - fired.length * eventsPerLap,
  };
}
