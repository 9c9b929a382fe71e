// The real system one sequence runs against: the shared stack, this onboarding's input and workflow id,
// and how a message is sent so that its reply is one word (a result, a typed refusal, 'closed' for an
// onboarding that has ended, or 'no-reply' once the bound has passed).
import type fc from 'fast-check';
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  applicationStatusChangedSignal,
  progressQuery,
  type OnboardingInput,
  type OnboardingProgress,
} from '../../src/contract';
import type { OnboardPartnerClientWorkflow } from '../../src/contract';
import type { LocalStack } from '../local-stack';
import { CircleView, type Counts } from './circle';

/** Every update must be answered within this long (docs/messages.md: no update waits for what may not come). */
export const REPLY_BOUND_MS = 30_000;

export type Handle = WorkflowHandle<OnboardPartnerClientWorkflow>;

export interface Real {
  stack: LocalStack;
  client: Client;
  input: OnboardingInput;
  workflowId: string;
  circle: CircleView;
  /** The simulator's counters before this onboarding started. */
  base: Counts;
  /** Set once the progress query shows them. */
  applicationId?: string;
  clientEntityId?: string;
  /** Updates sent and not answered yet (a reset waits for none). */
  inFlight: number;
  /**
   * The order in which concurrent messages are released, one per sequence (drawn with the scenario:
   * a scheduler inside each command broke fast-check's replay and shrinking of those commands).
   */
  scheduler: fc.Scheduler;
}

/**
 * `applicationStatusChanged`, as the service relays Circle's notifications: with the status Circle
 * holds now (which its reads may not show yet). The reply as one word.
 */
export async function wake(real: Real): Promise<string> {
  const { applicationId } = real;
  const status = applicationId ? await real.circle.trueStatus(applicationId) : undefined;
  return handleOf(real)
    .signal(applicationStatusChangedSignal, { applicationId, ...(status ? { status } : {}) })
    .then(() => 'sent', wordOf);
}

/** The latest run of the onboarding: messages follow continue-as-new and resets. */
export function handleOf(real: Real): Handle {
  return real.client.workflow.getHandle<OnboardPartnerClientWorkflow>(real.workflowId);
}

/** The progress query, remembering the ids it shows; undefined while no worker answers queries. */
export async function progressOf(real: Real): Promise<OnboardingProgress | undefined> {
  const p = await handleOf(real)
    .query(progressQuery)
    .catch(() => undefined);
  if (p?.applicationId) real.applicationId = p.applicationId;
  if (p?.clientEntityId) real.clientEntityId = p.clientEntityId;
  return p;
}

/** One word for how an update ended (the value when it succeeded is returned beside it). */
export async function reply<T>(real: Real, update: () => Promise<T>): Promise<{ word: string; value?: T }> {
  real.inFlight++;
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<{ word: string }>((resolve) => {
    timer = setTimeout(() => resolve({ word: 'no-reply' }), REPLY_BOUND_MS);
  });
  try {
    return await Promise.race([
      update().then(
        (value) => ({ word: 'ok', value }),
        (err) => ({ word: wordOf(err) }),
      ),
      bound,
    ]);
  } finally {
    clearTimeout(timer);
    real.inFlight--;
  }
}

export function wordOf(err: unknown): string {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    return err.cause.type ?? 'untyped';
  }
  // Another failure (a cancellation, a timeout) is named by its class: no caller can branch on it.
  if (err instanceof WorkflowUpdateFailedError)
    return `untyped ${err.cause?.name ?? 'failure'}: ${err.cause?.message ?? ''}`;
  if (err instanceof WorkflowNotFoundError) return 'closed';
  const message = (err as Error)?.message ?? String(err);
  // An update or signal sent to a closed run: the server says so in words, not with a type.
  if (/already completed|workflow execution.*(completed|not found)/i.test(message)) return 'closed';
  return `error: ${message.slice(0, 200)}`;
}
