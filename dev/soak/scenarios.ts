// The soak's scenarios and the input of each onboarding, chosen from the seed by index: the same
// `--seed` and index always give the same scenario, business profile and save mode.
import { mulberry32 } from '../../simulator/faults';
import type { OnboardingInput } from '../../src/contract';
import { exampleApplicationData } from '../../simulator';
import { realismTags, SOAK_STALE_READ_WINDOW, type SoakRealismMode } from './realism';

export interface Scenario {
  name: string;
  /** Simulator review tags in the client name (docs/simulator.md). */
  tag: string;
  /** Submissions the onboarding must make: one per review round. */
  rounds: number;
  expect: 'completed' | 'ApplicationDenied';
  clive: boolean;
  /** How each RFI round is answered, in order. */
  answers: ('update' | 'signal')[];
  /**
   * `maxHistoryEvents: 100`: the driver holds its answer (or, for `[manual]`, the approval) until the
   * workflow has continued as new while waiting for it, so state must cross runs.
   */
  continueAsNew?: boolean;
  weight: number;
}

export const SCENARIOS: readonly Scenario[] = [
  { name: 'happy', tag: '', rounds: 1, expect: 'completed', clive: false, answers: [], weight: 2 },
  { name: 'happy-clive', tag: '', rounds: 1, expect: 'completed', clive: true, answers: [], weight: 2 },
  {
    name: 'rfi-update',
    tag: '[rfi]',
    rounds: 2,
    expect: 'completed',
    clive: false,
    answers: ['update'],
    weight: 2,
  },
  {
    name: 'rfi-signal',
    tag: '[rfi]',
    rounds: 2,
    expect: 'completed',
    clive: true,
    answers: ['signal'],
    weight: 2,
  },
  {
    name: 'rfi2',
    tag: '[rfi2]',
    rounds: 3,
    expect: 'completed',
    clive: false,
    answers: ['update', 'signal'],
    weight: 1,
  },
  {
    name: 'deny',
    tag: '[deny]',
    rounds: 1,
    expect: 'ApplicationDenied',
    clive: false,
    answers: [],
    weight: 1,
  },
  {
    name: 'rfi-deny',
    tag: '[rfi] [deny]',
    rounds: 2,
    expect: 'ApplicationDenied',
    clive: false,
    answers: ['signal'],
    weight: 1,
  },
  {
    name: 'can-review',
    tag: '[manual]',
    rounds: 1,
    expect: 'completed',
    clive: true,
    answers: [],
    continueAsNew: true,
    weight: 1,
  },
  {
    name: 'can-rfi',
    tag: '[rfi]',
    rounds: 2,
    expect: 'completed',
    clive: false,
    answers: ['update'],
    continueAsNew: true,
    weight: 1,
  },
];

const DECK = SCENARIOS.flatMap((s) => Array.from({ length: s.weight }, () => s));

/**
 * The scenario of onboarding `index`: the weighted deck is shuffled once per cycle of its length, so
 * every scenario shows up in every cycle (a small run still covers them all).
 */
export function scenarioAt(seed: number, index: number): Scenario {
  const cycle = Math.floor(index / DECK.length);
  const random = mulberry32(mix(seed, cycle));
  const deck = [...DECK];
  for (let i = deck.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [deck[i], deck[j]] = [deck[j]!, deck[i]!];
  }
  return deck[index % deck.length]!;
}

// Profiles with different schemas: crypto natures need a licence number, publicCo a ticker symbol.
const PROFILES = [
  { natureOfBusiness: 'paymentProcessorPlatform', institutionType: 'privateCo' },
  { natureOfBusiness: 'cryptoExchange', institutionType: 'privateCo' },
  { natureOfBusiness: 'cryptoExchange', institutionType: 'publicCo' },
] as const;

/** Waits bounded far beyond the run: a deadline must never be why an onboarding ends here. */
const DEADLINES = {
  sectionDataDeadline: '1 hour',
  reviewDeadline: '1 hour',
  rfiDeadline: '1 hour',
  accountActivationDeadline: '1 hour',
} as const;

/** Submissions an onboarding makes: one per review round, one more when it is sent back to DRAFT. */
export function roundsOf(scenario: Scenario, modes: readonly SoakRealismMode[]): number {
  return scenario.rounds + (modes.includes('draft') ? 1 : 0);
}

/** The input of onboarding `index`; `modes` (realism.ts) add their tags and a short stale-read window. */
export function soakInput(
  runId: string,
  seed: number,
  index: number,
  scenario: Scenario,
  modes: readonly SoakRealismMode[] = [],
): OnboardingInput {
  const random = mulberry32(mix(seed ^ 0x5eed, index));
  const businessDetails = PROFILES[Math.floor(random() * PROFILES.length)]!;
  const tags = [scenario.tag, realismTags(modes)].filter(Boolean).join(' ');
  const name = `Soak ${runId} ${index}${tags ? ` ${tags}` : ''}`;
  return {
    client: { clientName: name, country: 'US', clientType: 'business', businessDetails },
    sections: exampleApplicationData(businessDetails) as OnboardingInput['sections'],
    submission: { endUserAgreesToTermsOfService: true, endUserIpAddress: '203.0.113.7' },
    account: { description: `Soak ${runId} ${index} custody` },
    ...(scenario.clive
      ? {
          clive: {
            clientId: `soak-${runId}-${index}`,
            legalName: 'Soak Holdings Inc.',
            partnerFeePercentage: 3,
          },
        }
      : {}),
    options: {
      // Per-section saves upsert the beneficial owners one PUT at a time: the riskier path for duplicates.
      saveMode: random() < 0.5 ? 'bulk' : 'per-section',
      ...DEADLINES,
      // Above the read lag: an accepted submit is trusted over a stale DRAFT read this long.
      ...(modes.length ? { staleReadWindow: SOAK_STALE_READ_WINDOW } : {}),
      // A continue-as-new scenario polls slower than the rest but still crosses 100 events in seconds.
      ...(scenario.continueAsNew
        ? { pollInterval: 50, maxPollInterval: 250, maxHistoryEvents: 100 }
        : { pollInterval: 10, maxPollInterval: 200 }),
    },
  };
}

const mix = (a: number, b: number) => Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 1, 0xc2b2ae35);
