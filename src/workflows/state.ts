// The workflow's own state: what the progress query shows, and what continue-as-new carries over.
import type { ParsedOnboardingInput } from '../contract/input';
import type { OnboardingProgress } from '../contract/progress';

export type Phase =
  'client' | 'sections' | 'submit' | 'review' | 'rfi' | 'account' | 'activation' | 'clive' | 'done';

export interface OnboardingState {
  phase: Phase;
  progress: OnboardingProgress;
  adoptedExistingClient: boolean;
  /** Sections given (in the input or by updates) that are not yet saved at Circle. */
  unsavedSections: string[];
  /** Absolute deadline (epoch ms) of the wait in progress, kept across continue-as-new. */
  deadlineMs?: number;
}

/** What a run hands to the next one when it continues as new. */
export interface Carried {
  input: ParsedOnboardingInput;
  state: OnboardingState;
}

export function initialState(input: ParsedOnboardingInput, createClientKey: string): OnboardingState {
  return {
    phase: 'client',
    adoptedExistingClient: false,
    unsavedSections: Object.keys(input.sections),
    progress: {
      step: 'creating-client',
      sections: [],
      sectionErrors: [],
      rfis: [],
      submissionRound: 0,
      idempotencyKeys: { createClient: createClientKey, submissions: [] },
      deadlines: {},
      polls: 0,
      errors: [],
      timeline: [],
    },
  };
}

const MAX_ERRORS = 20;

export function recordError(state: OnboardingState, type: string, message: string): void {
  const errors = state.progress.errors;
  errors.push({ at: new Date().toISOString(), step: state.progress.step, type, message });
  if (errors.length > MAX_ERRORS) errors.splice(0, errors.length - MAX_ERRORS);
}
