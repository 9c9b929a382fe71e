// The four waits an onboarding parks in, and how the benchmark gets an onboarding into each against
// the simulator: section data (one section held back), review (`[manual]`: decided only on command),
// RFI answers (`[rfi]`, and `[manual]` for the review after it), account activation (the simulator's
// activation delay, set long by the benchmark while it parks these).
import type { OnboardingInput, OnboardingStepName } from '../../src/contract';
import { benchInput } from './inputs';

export const WAIT_KINDS = ['section-data', 'review', 'rfi', 'activation'] as const;
export type WaitKind = (typeof WAIT_KINDS)[number];

export interface WaitKindSpec {
  step: OnboardingStepName;
  /** Circle notifies what this wait is for (the application's status): it polls as a backstop while notifications flow. */
  notified: boolean;
  /** Simulator tags in the client name. */
  tags: string;
}

export const WAITS: Record<WaitKind, WaitKindSpec> = {
  'section-data': { step: 'awaiting-section-data', notified: false, tags: '' },
  review: { step: 'in-review', notified: true, tags: ' [manual]' },
  rfi: { step: 'awaiting-rfi-answers', notified: false, tags: ' [rfi] [manual]' },
  activation: { step: 'awaiting-account-activation', notified: false, tags: '' },
};

/** The input of an onboarding that parks in `kind`'s wait; `name` without tags. */
export function waitInput(
  kind: WaitKind,
  name: string,
  options: OnboardingInput['options'],
): OnboardingInput {
  const input = benchInput(`${name}${WAITS[kind].tags}`, options);
  if (kind !== 'section-data') return input;
  // Not basicBusinessInfo: what it says decides which other sections apply.
  const { businessAddress: _held, ...sections } = input.sections ?? {};
  return { ...input, sections };
}
