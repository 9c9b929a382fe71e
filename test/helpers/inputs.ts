// Builders for workflow inputs used across tests.
import { randomUUID } from 'node:crypto';
import type { OnboardingInput } from '../../src/contract';
import { exampleApplicationData } from '../../simulator';

type ClientInput = OnboardingInput['client'];

/** A valid client with a unique name, so tests never collide on Circle's name+country rule. */
export function clientInput(overrides: Partial<ClientInput> = {}, tag = ''): ClientInput {
  return {
    clientName: `Acme Payments ${randomUUID().slice(0, 8)}${tag ? ` ${tag}` : ''}`,
    country: 'US',
    clientType: 'business',
    businessDetails: { natureOfBusiness: 'paymentProcessorPlatform', institutionType: 'privateCo' },
    ...overrides,
  };
}

/** Fast waits for tests: polls every 50 ms (capped at 200 ms), deadlines in seconds. */
export const FAST_OPTIONS = {
  pollInterval: 50,
  maxPollInterval: 200,
  sectionDataDeadline: '20 seconds',
  reviewDeadline: '20 seconds',
  rfiDeadline: '20 seconds',
  accountActivationDeadline: '20 seconds',
} as const;

/** A complete, valid onboarding (simulator scenario tags such as `[rfi]` go into the client name). */
export function onboardingInput(
  overrides: Partial<OnboardingInput> & { tag?: string } = {},
): OnboardingInput {
  const { tag, ...rest } = overrides;
  const client = rest.client ?? clientInput({}, tag);
  return {
    client,
    sections: exampleApplicationData(client.businessDetails) as OnboardingInput['sections'],
    submission: { endUserAgreesToTermsOfService: true, endUserIpAddress: '203.0.113.7' },
    account: { description: `Custody ${randomUUID()}` },
    options: FAST_OPTIONS,
    ...rest,
  };
}
