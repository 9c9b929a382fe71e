// From one lap's measured cost to a parked onboarding's cost per day (and history events per week) on
// the production schedule, with and without Circle's notifications flowing, and the table the
// benchmark prints.
import { optionsSchemaWith } from '../../src/contract/input';
import { BACKSTOP_POLL_MS } from '../../src/contract/limits';
import { round } from '../local-tools';
import { WAITS, type WaitKind } from './wait-kinds';

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * The Temporal server suggests continuing as new once a history has this many events (its dynamic
 * config `limit.historyCount.suggestContinueAsNew`, default 4 × 1024), and the onboarding follows the
 * suggestion before its own `maxHistoryEvents`.
 */
export const SERVER_SUGGESTS_CONTINUE_AS_NEW_AT = 4096;

/** One lap of one parked onboarding: a poll timer, its read(s) at Circle, the workflow tasks. */
export interface LapCost {
  historyEvents: number;
  serverRequests: number | null;
  persistenceRequests: number | null;
  serverCpuMs: number | null;
  workerCpuMs: number | null;
  circleRequests: number;
}

export interface Schedule {
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  maxHistoryEvents: number;
  backstopMs: number;
  /** Where a run continues as new: the lower of the server's suggestion and `maxHistoryEvents`. */
  continueAsNewAtEvents: number;
}

/** The input schema's defaults: what an onboarding started without options polls at. */
export function productionSchedule(): Schedule {
  const defaults = optionsSchemaWith().parse(undefined);
  return {
    pollIntervalMs: defaults.pollInterval,
    maxPollIntervalMs: defaults.maxPollInterval,
    maxHistoryEvents: defaults.maxHistoryEvents,
    backstopMs: Math.max(BACKSTOP_POLL_MS, defaults.maxPollInterval),
    continueAsNewAtEvents: Math.min(SERVER_SUGGESTS_CONTINUE_AS_NEW_AT, defaults.maxHistoryEvents),
  };
}

export interface DailyCost {
  lapsPerDay: number;
  serverRequests: number | null;
  persistenceRequests: number | null;
  serverCpuMs: number | null;
  workerCpuMs: number | null;
  temporalCpuMs: number | null;
  circleRequests: number;
  /** History events per week, continue-as-new included (amortised over a run). */
  historyEventsPerWeek: number;
}

/**
 * Steady state: each lap waits `maxPollInterval` (or the backstop while notifications flow, for a wait
 * Circle notifies). A continue-as-new every `continueAsNewAtEvents` events adds `overheadEvents`.
 */
export function dailyCost(
  kind: WaitKind,
  lap: LapCost,
  overheadEvents: number,
  schedule: Schedule,
  notificationsFlowing: boolean,
): DailyCost {
  const interval =
    notificationsFlowing && WAITS[kind].notified ? schedule.backstopMs : schedule.maxPollIntervalMs;
  const laps = DAY_MS / interval;
  const times = (v: number | null, digits = 0) => (v === null ? null : round(v * laps, digits));
  // A run holds `continueAsNewAtEvents` events, `overheadEvents` of them for continuing as new.
  const withContinueAsNew =
    schedule.continueAsNewAtEvents / (schedule.continueAsNewAtEvents - overheadEvents);
  const cpu = lap.serverCpuMs === null || lap.workerCpuMs === null ? null : lap.serverCpuMs + lap.workerCpuMs;
  return {
    lapsPerDay: round(laps, 1),
    serverRequests: times(lap.serverRequests),
    persistenceRequests: times(lap.persistenceRequests),
    serverCpuMs: times(lap.serverCpuMs),
    workerCpuMs: times(lap.workerCpuMs),
    temporalCpuMs: times(cpu),
    circleRequests: round(lap.circleRequests * laps, 0),
    historyEventsPerWeek: Math.round(lap.historyEvents * laps * 7 * withContinueAsNew),
  };
}

export function assumptions(schedule: Schedule): string[] {
  const min = (ms: number) => `${round(ms / 60_000, 1)} min`;
  return [
    `steady state: every lap waits maxPollInterval (${min(schedule.maxPollIntervalMs)}, the input's default), ${round(DAY_MS / schedule.maxPollIntervalMs, 1)} laps a day; the backoff from pollInterval (${schedule.pollIntervalMs / 1000} s) adds a few laps in a wait's first ${min(2 * schedule.maxPollIntervalMs)} and is left out`,
    `notifications flowing (a relayed notification reached the onboarding in the last 7 days): only the review wait changes, to the ${schedule.backstopMs / 3_600_000} h backstop (${round(DAY_MS / schedule.backstopMs, 1)} laps a day); Circle notifies application status changes only, so section data, RFI answers and account activation poll as without; the notifications themselves (one per status change, not per day) are not counted`,
    `a first review round has received no notification yet, so it polls as without notifications until one arrives (the backstop applies from the next round on)`,
    `per-lap costs are measured with short polls (the same work as a production lap: a timer, the read(s), the workflow tasks) and less what the same time costs with nothing parked`,
    `continue-as-new included in history events, amortised: a run continues as new at ${schedule.continueAsNewAtEvents} events (the Temporal server's suggestion, below maxHistoryEvents ${schedule.maxHistoryEvents}), and each continue-as-new adds the events measured by the probe; server requests and CPU per day leave continue-as-new out (about the same small share)`,
    `CPU is per process from /proc (user + system) and varies with the machine's load; request and event counts do not`,
  ];
}

/** The per-lap and per-day tables, as lines of text. */
export function costTable(
  rows: { kind: WaitKind; lap: LapCost; without: DailyCost; with: DailyCost }[],
): string[] {
  const n = (v: number | null, digits = 1) => (v === null ? '-' : String(round(v, digits)));
  const table = (head: string[], body: string[][]) => {
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
    const line = (cells: string[]) =>
      cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  };
  const perLap = table(
    ['per lap', 'events', 'server req', 'DB req', 'server CPU ms', 'worker CPU ms', 'Circle req'],
    rows.map(({ kind, lap }) => [
      kind,
      n(lap.historyEvents),
      n(lap.serverRequests),
      n(lap.persistenceRequests),
      n(lap.serverCpuMs, 2),
      n(lap.workerCpuMs, 2),
      n(lap.circleRequests, 2),
    ]),
  );
  const perDay = table(
    [
      'per day',
      'notifications',
      'laps',
      'server req',
      'DB req',
      'CPU ms (server+worker)',
      'Circle req',
      'events/week',
    ],
    rows.flatMap(({ kind, without, with: flowing }) =>
      [
        ['not flowing', without],
        ['flowing', flowing],
      ].map(([label, d]) => {
        const day = d as DailyCost;
        return [
          kind,
          label as string,
          n(day.lapsPerDay),
          n(day.serverRequests, 0),
          n(day.persistenceRequests, 0),
          day.temporalCpuMs === null
            ? '-'
            : `${n(day.temporalCpuMs, 0)} (${n(day.serverCpuMs, 0)}+${n(day.workerCpuMs, 0)})`,
          n(day.circleRequests, 0),
          n(day.historyEventsPerWeek, 0),
        ];
      }),
    ),
  );
  return [...perLap, '', ...perDay];
}
