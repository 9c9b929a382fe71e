// The soak summary's figures on the realism mix, the history lengths and the steps: pure functions of
// the runs and of what the checks saw, so that they can be tested without a stack.
import { percentile } from '../local-tools';
import type { Seen } from './checks';
import { endedAsExpected } from './checks';
import type { Run } from './drive';
import { SOAK_REALISM_MODE_NAMES } from './realism';

type Timeline = { step: string; at: string }[];

/** Per mode: onboardings that met it, how many completed (of those meant to), and their durations. */
export function realismMix(runs: readonly Run[]) {
  const byMode = (subset: readonly Run[]) => {
    const ms = subset.filter((r) => r.outcome !== 'not-started').map((r) => r.ms);
    return {
      count: subset.length,
      completed: subset.filter((r) => r.outcome === 'completed').length,
      meantToComplete: subset.filter((r) => r.scenario.expect === 'completed').length,
      endedAsExpected: subset.filter(endedAsExpected).length,
      durationMs: { p50: percentile(ms, 50), p99: percentile(ms, 99), max: max(ms) },
    };
  };
  return {
    onboardingsWithAMode: runs.filter((r) => r.modes.length > 0).length,
    onboardingsWithSeveralModes: runs.filter((r) => r.modes.length > 1).length,
    modes: Object.fromEntries(
      SOAK_REALISM_MODE_NAMES.map((m) => [m, byMode(runs.filter((r) => r.modes.includes(m)))]),
    ),
    none: byMode(runs.filter((r) => r.modes.length === 0)),
  };
}

/** The longest run's history events by scenario (and, apart, of onboardings that met a mode). */
export function historyEvents(runs: readonly Run[], seen: readonly Seen[], bound: number) {
  const maxBy = (key: (r: Run) => string | undefined) => {
    const out: Record<string, number> = {};
    runs.forEach((r, i) => {
      const k = key(r);
      const events = seen[i]?.historyEvents;
      if (k !== undefined && events !== undefined) out[k] = Math.max(out[k] ?? 0, events);
    });
    return out;
  };
  const all = seen.map((s) => s.historyEvents).filter((e): e is number => e !== undefined);
  return {
    bound,
    max: max(all),
    p50: percentile(all, 50),
    maxByScenario: maxBy((r) => r.scenario.name),
    maxByScenarioWithoutModes: maxBy((r) => (r.modes.length ? undefined : r.scenario.name)),
    maxByMode: Object.fromEntries(
      SOAK_REALISM_MODE_NAMES.map((m) => [m, max(all.filter((_, i) => runs[i]!.modes.includes(m)))]).filter(
        ([, v]) => v !== null,
      ),
    ),
  };
}

/**
 * Time in each step per onboarding (the sum of its visits, from the result's timeline, or the progress
 * query's for one that did not complete), then its p99 and max across the onboardings that entered it.
 */
export function stepTimes(timelines: readonly (Timeline | undefined)[]) {
  const perStep = new Map<string, number[]>();
  for (const timeline of timelines) {
    if (!timeline) continue;
    const spent = timeInSteps(timeline);
    for (const [step, ms] of spent) perStep.set(step, [...(perStep.get(step) ?? []), ms]);
  }
  return Object.fromEntries(
    [...perStep].map(([step, ms]) => [step, { n: ms.length, p99: percentile(ms, 99), max: max(ms) }]),
  );
}

/** Ms from entering each step to entering the next, summed per step; the last (ended) step is left out. */
export function timeInSteps(timeline: Timeline): Map<string, number> {
  const spent = new Map<string, number>();
  for (let i = 0; i + 1 < timeline.length; i++) {
    const { step, at } = timeline[i]!;
    const ms = Date.parse(timeline[i + 1]!.at) - Date.parse(at);
    spent.set(step, (spent.get(step) ?? 0) + ms);
  }
  return spent;
}

function max(values: readonly number[]): number | null {
  return values.length ? Math.max(...values) : null;
}
