// The onboarding each sequence starts: a generated scenario (business profile, save mode, Clive or not,
// realism tags, a wrong website to correct, deadlines, a small history limit) and the input built from
// it. Every client name carries `[manual]`, so Circle's reviewer decides only when a command says so.
import fc from 'fast-check';
import type { OnboardingInput } from '../../src/contract';
import { exampleApplicationData } from '../../simulator';

export interface Scenario {
  profile: 'payments' | 'crypto';
  clive: boolean;
  saveMode: 'bulk' | 'per-section';
  /** `[realism:...]` settings in the client name, read by the simulator when it creates the client. */
  realism: string[];
  /** Start with a website Circle refuses, so the onboarding waits for a correction. */
  badWebsite: boolean;
  /** Small, so that runs continue as new during a sequence (the contract's minimum is 100). */
  maxHistoryEvents: number;
  /** Seconds: short enough that some sequences meet a deadline, long enough that most do not. */
  sectionDataDeadlineS: number;
  reviewDeadlineS: number;
  rfiDeadlineS: number;
}

/** Modes Circle shows per application, kept short so that a sequence stays a few seconds long. */
export const REALISM_SETTINGS = [
  'readLagMs=800',
  'rfiListDelayMs=800',
  'notFoundAfterCreateMs=600',
  'unknownApplicationStatus=UNDER_ENHANCED_REVIEW',
  'unknownAccountStatus=provisioning',
  'latencyMs=150',
] as const;

export const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  profile: fc.constantFrom('payments', 'crypto'),
  clive: fc.boolean(),
  saveMode: fc.constantFrom('bulk', 'per-section'),
  realism: fc.subarray([...REALISM_SETTINGS], { maxLength: 2 }),
  badWebsite: fc.boolean().chain((b) => (b ? fc.boolean() : fc.constant(false))), // one in four
  maxHistoryEvents: fc.integer({ min: 120, max: 250 }),
  sectionDataDeadlineS: fc.integer({ min: 10, max: 40 }),
  reviewDeadlineS: fc.integer({ min: 15, max: 60 }),
  rfiDeadlineS: fc.integer({ min: 10, max: 40 }),
});

const PROFILES = {
  payments: { natureOfBusiness: 'paymentProcessorPlatform', institutionType: 'privateCo' },
  crypto: { natureOfBusiness: 'cryptoExchange', institutionType: 'privateCo' },
} as const;

/** The website the input starts with when it is a valid one (a revert may go back to it). */
export const INITIAL_WEBSITE = 'https://acme.example.com';
export const BAD_WEBSITE = 'not a url';

export function inputOf(s: Scenario, name: string): OnboardingInput {
  const businessDetails = PROFILES[s.profile];
  const sections = exampleApplicationData(businessDetails) as Record<string, Record<string, unknown>>;
  sections.basicBusinessInfo = {
    ...sections.basicBusinessInfo,
    website: s.badWebsite ? BAD_WEBSITE : INITIAL_WEBSITE,
  };
  const realism = s.realism.length ? ` [realism:${s.realism.join(',')}]` : '';
  return {
    client: {
      clientName: `${name} [manual]${realism}`,
      country: 'US',
      clientType: 'business',
      businessDetails,
    },
    sections: sections as OnboardingInput['sections'],
    submission: { endUserAgreesToTermsOfService: true, endUserIpAddress: '203.0.113.7' },
    account: { description: `${name} custody` },
    ...(s.clive
      ? {
          clive: {
            clientId: name.replace(/\W+/g, '-'),
            legalName: 'Fuzz Holdings Inc.',
            partnerFeePercentage: 3,
          },
        }
      : {}),
    options: {
      saveMode: s.saveMode,
      // As the tests' FAST_OPTIONS: fast polls against the local simulator.
      pollInterval: 50,
      maxPollInterval: 200,
      sectionDataDeadline: s.sectionDataDeadlineS * 1000,
      reviewDeadline: s.reviewDeadlineS * 1000,
      rfiDeadline: s.rfiDeadlineS * 1000,
      accountActivationDeadline: '20 seconds',
      // Above the read lag and latency of REALISM_SETTINGS: a stale DRAFT read is not believed.
      staleReadWindow: '3 seconds',
      maxHistoryEvents: s.maxHistoryEvents,
    },
  };
}

/** The same client with another input: a second start with it must be refused, not joined. */
export function variantOf(input: OnboardingInput): OnboardingInput {
  return { ...input, account: { description: `${input.account.description} (changed)` } };
}
