// Parking onboardings for the benchmark: started in waves, each once the one before has reached its
// wait, as onboardings arrive over time (all at once, a workflow cache smaller than N would evict and
// replay onboardings for each of their tasks); and terminating them afterwards.
import { pool } from '../pool';
import { round } from '../local-tools';
import type { LocalStack } from '../local-stack';
import { startOnboarding, type OnboardingInput, type OnboardingStepName } from '../../src/contract';
import type { RssSampler } from './rss';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ParkSpec {
  /** The step the onboardings wait in (the `OnboardingStep` search attribute). */
  step: OnboardingStepName;
  n: number;
  concurrency: number;
  /** The i-th onboarding's input and workflow id. */
  start(i: number): { input: OnboardingInput; workflowId: string };
}

export interface Parked {
  ids: string[];
  /** How many the visibility query counted in the step when parking ended. */
  parked: number;
  parkMs: number;
}

export async function parkInWaves(
  stack: LocalStack,
  rss: RssSampler,
  spec: ParkSpec,
  log: (line: string) => void,
): Promise<Parked> {
  const { n, concurrency } = spec;
  const started = performance.now();
  const query = [
    `TaskQueue = '${stack.taskQueue}'`,
    `OnboardingStep = '${spec.step}'`,
    `ExecutionStatus = 'Running'`,
  ].join(' AND ');
  // A budgeted cache smaller than N parks at a few per second: its evicted onboardings replay to poll.
  const deadline = Date.now() + 120_000 + n * 600;
  const wave = concurrency * 5;
  const ids: string[] = [];
  let parked = 0;
  let reported = 0;
  while (ids.length < n && Date.now() < deadline) {
    const from = ids.length;
    const batch = await pool(Math.min(wave, n - from), wave, async (i) => {
      const { input, workflowId } = spec.start(from + i);
      return (await startOnboarding(stack.client, input, { workflowId, taskQueue: stack.taskQueue }))
        .workflowId;
    });
    ids.push(...batch);
    while (Date.now() < deadline) {
      parked = (await stack.client.workflow.count(query)).count;
      if (parked >= ids.length) break;
      if (Date.now() - reported > 2000) {
        log(`parked ${parked}/${n} in ${spec.step} (worker RSS ${round(rss.sample())} MiB)`);
        reported = Date.now();
      }
      // A visibility count scans every running onboarding: with thousands parked, asking four times a
      // second would be most of what the server does.
      await sleep(Math.max(250, ids.length / 10));
    }
  }
  const parkMs = performance.now() - started;
  log(`parked ${parked}/${n} in ${spec.step} in ${round(parkMs / 1000)} s`);
  return { ids, parked, parkMs: Math.round(parkMs) };
}

/** Terminates the onboardings (ones already closed are skipped). */
export async function terminateAll(stack: LocalStack, ids: string[]): Promise<void> {
  await pool(ids.length, 20, (i) =>
    stack.client.workflow
      .getHandle(ids[i]!)
      .terminate('benchmark finished')
      .catch(() => undefined),
  );
}
