// The soak's realism mix (which onboardings meet which mode, the names and inputs that carry them) and
// the summary's figures on it, on the history lengths and on the steps.
import { defaultPlan } from '../../simulator';
import { realismTagModes } from '../../simulator/realism';
import { onboardingInputSchemaWith } from '../../src/contract';
import type { Seen } from '../soak/checks';
import type { Run } from '../soak/drive';
import { parseArgs } from 'node:util';
import { SOAK_OPTIONS, soakArgs } from '../soak/options';
import {
  REALISM_BLOCK,
  realismAt,
  realismTags,
  SOAK_REALISM_MODE_NAMES,
  UNKNOWN_APPLICATION_STATUS,
} from '../soak/realism';
import { historyEvents, realismMix, stepTimes, timeInSteps } from '../soak/report';
import { roundsOf, scenarioAt, SCENARIOS, soakInput } from '../soak/scenarios';

// The soak's worker allows polls below a second (the local simulator), like the soak's inputs.
const onboardingInputSchema = onboardingInputSchemaWith({ minPollIntervalMs: 1 });

const modesOf = (seed: number, n: number, share: number) =>
  Array.from({ length: n }, (_, i) => realismAt(seed, i, share));

test('each mode meets round(share x 10) onboardings of every block of 10, the same for the same seed', () => {
  const mix = modesOf(1, 40, 0.1);
  for (const mode of SOAK_REALISM_MODE_NAMES) {
    for (let block = 0; block < 4; block++) {
      const inBlock = mix.slice(block * REALISM_BLOCK, (block + 1) * REALISM_BLOCK);
      expect(inBlock.filter((m) => m.includes(mode))).toHaveLength(1);
    }
  }
  expect(modesOf(1, 40, 0.1)).toEqual(mix);
  expect(modesOf(2, 40, 0.1)).not.toEqual(mix);
  expect(modesOf(1, 20, 0.3).filter((m) => m.includes('draft'))).toHaveLength(6);
});

test('share 0 gives no mode, share 1 every mode to every onboarding', () => {
  expect(modesOf(1, 20, 0).every((m) => m.length === 0)).toBe(true);
  expect(modesOf(1, 20, 1).every((m) => m.length === SOAK_REALISM_MODE_NAMES.length)).toBe(true);
});

test('--realism-share defaults to 0.1 and takes a number in [0, 1]', () => {
  const args = (...argv: string[]) => soakArgs(parseArgs({ options: SOAK_OPTIONS, args: argv }).values);
  expect(args().realismShare).toBe(0.1);
  expect(args('--realism-share', '0').realismShare).toBe(0);
  expect(() => args('--realism-share', '1.5')).toThrow('--realism-share');
});

test('the tags carry the modes to the simulator: one realism tag, then [draft]', () => {
  expect(realismTags([])).toBe('');
  const all = realismTags(SOAK_REALISM_MODE_NAMES);
  expect(realismTagModes(all)).toEqual({
    readLagMs: 1500,
    rfiListDelayMs: 1500,
    notFoundAfterCreateMs: 1000,
    unknownApplicationStatus: UNKNOWN_APPLICATION_STATUS,
    unknownAccountStatus: 'provisioning',
    latencyMs: 300,
  });
  expect(realismTags(['draft'])).toBe('[draft]');
  expect(realismTagModes('[draft]')).toBeUndefined();
});

test('an input with every mode is valid, names them, and trusts a submit over a stale read for 5 s', () => {
  for (const scenario of SCENARIOS) {
    const input = soakInput('abc123', 1, 199, scenario, SOAK_REALISM_MODE_NAMES);
    const parsed = onboardingInputSchema.parse(input);
    expect(parsed.client.clientName).toContain(scenario.tag);
    expect(parsed.client.clientName).toContain('[realism:readLagMs=1500,');
    expect(parsed.options.staleReadWindow).toBe(5000);
    // The simulator's review plan goes back to DRAFT once, after the RFI rounds.
    const plan = defaultPlan(parsed.client.clientName);
    expect(plan.steps.filter((s) => s === 'draft')).toHaveLength(1);
    expect(roundsOf(scenario, SOAK_REALISM_MODE_NAMES)).toBe(scenario.rounds + 1);
  }
  const plain = onboardingInputSchema.parse(soakInput('abc123', 1, 3, SCENARIOS[0]!));
  expect(plain.client.clientName).toBe('Soak abc123 3');
  expect(plain.options.staleReadWindow).toBe(5 * 60_000); // the default: nothing lags
});

const run = (index: number, over: Partial<Run>): Run => ({
  index,
  scenario: scenarioAt(1, index),
  modes: [],
  rounds: 1,
  outcome: 'completed',
  rfisAnswered: 0,
  answersRetried: 0,
  ms: 1000,
  ...over,
});

test('the mix reports, per mode, the onboardings that met it, completed and their durations', () => {
  const happy = SCENARIOS.find((s) => s.name === 'happy')!;
  const deny = SCENARIOS.find((s) => s.name === 'deny')!;
  const runs = [
    run(0, { scenario: happy, modes: ['readLagMs', 'draft'], ms: 4000 }),
    run(1, { scenario: deny, modes: ['readLagMs'], outcome: 'failed', failureType: 'ApplicationDenied' }),
    run(2, { scenario: happy, ms: 2000 }),
  ];
  const mix = realismMix(runs);
  expect(mix.onboardingsWithAMode).toBe(2);
  expect(mix.onboardingsWithSeveralModes).toBe(1);
  expect(mix.modes.readLagMs).toEqual({
    count: 2,
    completed: 1,
    meantToComplete: 1,
    endedAsExpected: 2,
    durationMs: { p50: 1000, p99: 4000, max: 4000 },
  });
  expect(mix.modes.draft!.count).toBe(1);
  expect(mix.modes.latencyMs!.durationMs.max).toBeNull();
  expect(mix.none.count).toBe(1);

  const seen: Seen[] = [{ historyEvents: 150 }, { historyEvents: 60 }, { historyEvents: 90 }];
  const history = historyEvents(runs, seen, 450);
  expect(history).toMatchObject({ bound: 450, max: 150, maxByScenario: { happy: 150, deny: 60 } });
  expect(history.maxByScenarioWithoutModes).toEqual({ happy: 90 });
  expect(history.maxByMode).toEqual({ readLagMs: 150, draft: 150 });
});

test('time in a step is the sum of its visits until the next step; p99 and max across onboardings', () => {
  const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s)).toISOString();
  const timeline = [
    { step: 'creating-client', at: at(0) },
    { step: 'in-review', at: at(1) },
    { step: 'reading-application', at: at(4) },
    { step: 'in-review', at: at(5) },
    { step: 'completed', at: at(7) },
  ];
  expect(Object.fromEntries(timeInSteps(timeline))).toEqual({
    'creating-client': 1000,
    'in-review': 5000,
    'reading-application': 1000,
  });
  const steps = stepTimes([timeline, undefined, timeline.slice(0, 2)]);
  expect(steps['in-review']).toEqual({ n: 1, p99: 5000, max: 5000 });
  expect(steps['creating-client']).toEqual({ n: 2, p99: 1000, max: 1000 });
});
