// What every process that starts or runs onboardings agrees on: the workflow-id key and the shortest
// poll interval an input may ask for.
import { z } from 'zod';
import { LOCAL_ID_KEY } from '../contract/workflow';
import { positiveInteger } from './variables';

export const onboardingVariables = z.object({
  /**
   * The shortest poll interval an input may ask for. Below a second only in local against a local
   * simulator (security.ts): against Circle it would spend the partner's rate limit on polls.
   */
  ONBOARDING_MIN_POLL_INTERVAL_MS: positiveInteger(1000),
  /** Key of the workflow-id rule: a secret shared by every service that starts onboardings. */
  ONBOARDING_ID_KEY: z.string().min(16).default(LOCAL_ID_KEY),
});

export interface OnboardingSettings {
  minPollIntervalMs: number;
  idKey: string;
}

export const onboardingSettings = (e: z.infer<typeof onboardingVariables>): OnboardingSettings => ({
  minPollIntervalMs: e.ONBOARDING_MIN_POLL_INTERVAL_MS,
  idKey: e.ONBOARDING_ID_KEY,
});
