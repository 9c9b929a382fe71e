// The step names a list may filter on: the contract's type as a runtime list, checked complete.
import type { OnboardingStepName } from '../contract';

export const ONBOARDING_STEPS = [
  'validating-input',
  'creating-client',
  'reading-application',
  'checking-sections',
  'saving-sections',
  'awaiting-section-data',
  'checking-documents',
  'uploading-documents',
  'awaiting-documents',
  'submitting',
  'in-review',
  'awaiting-rfi-answers',
  'creating-account',
  'awaiting-account-activation',
  'registering-clive',
  'blocked-on-credentials',
  'completed',
  'failed',
  'cancelled',
] as const satisfies readonly OnboardingStepName[];

// Fails to compile when the contract gains a step this list lacks.
type Missing = Exclude<OnboardingStepName, (typeof ONBOARDING_STEPS)[number]>;
export const _stepsAreComplete: [Missing] extends [never] ? true : Missing = true;
