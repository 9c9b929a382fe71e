// Small helpers for driving onboardings in tests.
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  progressQuery,
  type OnboardingInput,
  type OnboardingProgress,
  type OnboardingStepName,
  type OnboardPartnerClientWorkflow,
} from '../../src/contract';
import { startOnboarding } from '../../src/contract';
import type { OnboardingTestEnv } from './onboarding-env';

export type OnboardingHandle = WorkflowHandleWithFirstExecutionRunId<OnboardPartnerClientWorkflow>;

export function start(t: OnboardingTestEnv, input: OnboardingInput): Promise<OnboardingHandle> {
  return startOnboarding(t.client, input, { taskQueue: t.taskQueue, workflowId: `test-${randomUUID()}` });
}

/** Polls the progress query until `predicate` holds (or fails after `timeoutMs`). */
export async function waitForProgress(
  handle: Pick<OnboardingHandle, 'query'>,
  predicate: (p: OnboardingProgress) => boolean,
  timeoutMs = 20_000,
): Promise<OnboardingProgress> {
  const until = Date.now() + timeoutMs;
  let last: OnboardingProgress | undefined;
  while (Date.now() < until) {
    last = await handle.query(progressQuery);
    if (predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`progress never matched; last seen: ${JSON.stringify(last)}`);
}

export const waitForStep = (
  handle: Pick<OnboardingHandle, 'query'>,
  step: OnboardingStepName,
  timeoutMs?: number,
) => waitForProgress(handle, (p) => p.step === step, timeoutMs);

/** The ApplicationFailure a workflow ended with (fails the test if it completed). */
export async function failureOf(handle: OnboardingHandle): Promise<ApplicationFailure> {
  const err = await handle.result().then(
    () => new Error('expected the onboarding to fail, but it completed'),
    (e: unknown) => e,
  );
  if (!(err instanceof WorkflowFailedError)) throw err;
  if (!(err.cause instanceof ApplicationFailure))
    throw new Error(`unexpected failure cause: ${String(err.cause)}`);
  return err.cause;
}
