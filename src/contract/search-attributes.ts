// Search attributes that make onboardings findable in the Temporal UI and by `starter list`.
// No personal data here: the server indexes these in plain text and codecs never see them.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const OnboardingStep = defineSearchAttributeKey('OnboardingStep', SearchAttributeType.KEYWORD);
export const CircleApplicationStatus = defineSearchAttributeKey(
  'CircleApplicationStatus',
  SearchAttributeType.KEYWORD,
);
export const CircleApplicationId = defineSearchAttributeKey(
  'CircleApplicationId',
  SearchAttributeType.KEYWORD,
);
export const CircleClientEntityId = defineSearchAttributeKey(
  'CircleClientEntityId',
  SearchAttributeType.KEYWORD,
);
export const ClientCountry = defineSearchAttributeKey('ClientCountry', SearchAttributeType.KEYWORD);
/**
 * A keyed digest of the Idempotency-Key that started the onboarding (set by `startOnboarding`, never by
 * the workflow): a later start with that key for another client or input is found by it and refused.
 */
export const OnboardingStartKey = defineSearchAttributeKey('OnboardingStartKey', SearchAttributeType.KEYWORD);

export const ONBOARDING_SEARCH_ATTRIBUTES = [
  OnboardingStep,
  CircleApplicationStatus,
  CircleApplicationId,
  CircleClientEntityId,
  ClientCountry,
  OnboardingStartKey,
] as const;
