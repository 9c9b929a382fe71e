// Onboarding metrics emitted from workflow code. The SDK's workflow `metricMeter` drops every value
// while the workflow replays, so each is counted once however often its history is replayed; the calls
// themselves are deterministic (no commands), so they may sit anywhere in workflow code.
// Imported by the workflow bundle: only @temporalio/workflow and the import-free names file.
import { ApplicationFailure, ContinueAsNew, isCancellation, metricMeter } from '@temporalio/workflow';
import {
  ONBOARDING_CANCELLED,
  ONBOARDING_COMPLETED,
  ONBOARDING_FAILED,
  ONBOARDING_STARTED,
  STEP_DURATION,
} from './metric-names';

// Metrics are made on each use: the meter works only inside a workflow context, not at bundle load.
const counter = (name: string, description: string) =>
  metricMeter.createCounter(name, undefined, description);

export function countStarted(): void {
  counter(ONBOARDING_STARTED, 'Onboardings started (first run)').add(1);
}

/**
 * Runs the onboarding and counts how it ended: completed, failed (by failure type) or cancelled.
 * Continue-as-new is not an end, and a plain Error is a workflow task failure Temporal retries.
 */
export async function countOutcome<T>(run: () => Promise<T>): Promise<T> {
  try {
    const result = await run();
    counter(ONBOARDING_COMPLETED, 'Onboardings completed').add(1);
    return result;
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    if (isCancellation(err)) counter(ONBOARDING_CANCELLED, 'Onboardings cancelled').add(1);
    else if (err instanceof ApplicationFailure) {
      counter(ONBOARDING_FAILED, 'Onboardings failed, by failure type').add(1, {
        failure_type: err.type ?? 'ApplicationFailure',
      });
    }
    throw err;
  }
}

/** Time spent in a step, recorded as the onboarding leaves it (workflow time: replay-safe). */
export function recordStepTime(step: string, enteredAt: string): void {
  const seconds = (Date.now() - Date.parse(enteredAt)) / 1000;
  if (!(seconds >= 0)) return; // an unreadable timestamp from an old carried state
  metricMeter
    .createHistogram(STEP_DURATION, 'float', 's', 'Seconds spent in a step, recorded when it is left')
    .record(seconds, { step });
}
