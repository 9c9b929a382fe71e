// The command arbitraries fast-check draws sequences from, with weights: messages most often (they are
// what races the workflow), Circle's decisions often enough that RFI rounds open, the rest now and then.
import fc from 'fast-check';
import type { FaultRuleInput } from '../../../simulator';
import { UsageError } from '../../stack-script';
import type { Model } from '../model';
import type { Real } from '../system';
import {
  CancelAtCircleCommand,
  ClearFaultsCommand,
  DecideCommand,
  FAULT_MODES,
  FAULT_PATHS,
  FaultsCommand,
  RealismCommand,
  type Decision,
} from './circle';
import {
  AnswerCommand,
  ConcurrentAnswers,
  ConcurrentCorrections,
  CorrectionCommand,
  type AnswerSpec,
  type CorrectionKind,
} from './messages';
import {
  AwaitNewRunCommand,
  CancelCommand,
  ResetCommand,
  RestartWorkerCommand,
  StartAgainCommand,
  WaitCommand,
  WakeCommand,
} from './operator';

type Cmd = fc.Arbitrary<fc.AsyncCommand<Model, Real>>;

const answerSpec: fc.Arbitrary<AnswerSpec> = fc.record({
  kind: fc.constantFrom('valid', 'valid', 'invalid', 'empty', 'unknown', 'late'),
  via: fc.constantFrom('update', 'update', 'signal'),
});
const correctionKind: fc.Arbitrary<CorrectionKind> = fc.constantFrom(
  'correct',
  'correct',
  'revert',
  'invalid',
  'drop',
  'restore',
);
const pick = fc.nat({ max: 7 });

const faultRule: fc.Arbitrary<FaultRuleInput> = fc
  .record({
    route: fc.constantFrom(...FAULT_PATHS.map(([method, path]) => ({ method, path }))),
    mode: fc.constantFrom(...(Object.keys(FAULT_MODES) as (keyof typeof FAULT_MODES)[])),
    times: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ route, mode, times }) => ({ ...route, times, ...FAULT_MODES[mode] }));

const realismModes = fc.oneof(
  fc.constant({ readLagMs: 800 }),
  fc.constant({ rfiListDelayMs: 800 }),
  fc.constant({ unknownApplicationStatus: 'UNDER_ENHANCED_REVIEW' }),
  fc.constant({ unknownAccountStatus: 'provisioning' }),
  fc.constant({ latencyMs: 200 }),
  fc.constant({}), // back to the name tag's modes
);

export function commandArbitraries({ restarts, without }: { restarts: boolean; without: string[] }): Cmd[] {
  const w = (weight: number, arbitrary: Cmd) => ({ weight, arbitrary });
  const all = [
    w(
      6,
      fc.tuple(answerSpec, pick).map(([s, p]) => new AnswerCommand(s, p)),
    ),
    w(
      2,
      fc
        .tuple(fc.array(answerSpec, { minLength: 2, maxLength: 3 }), pick)
        .map(([specs, p]) => new ConcurrentAnswers(specs, p)),
    ),
    w(
      4,
      fc.tuple(correctionKind, pick).map(([k, p]) => new CorrectionCommand(k, p)),
    ),
    w(
      2,
      fc
        .tuple(fc.array(correctionKind, { minLength: 2, maxLength: 3 }), pick)
        .map(([kinds, p]) => new ConcurrentCorrections(kinds, p)),
    ),
    w(
      6,
      fc
        .tuple(
          fc.constantFrom<Decision>('approve', 'deny', 'rfi', 'rfi', 'rfi-website', 'draft', 'draft'),
          fc.integer({ min: 1, max: 2 }),
        )
        .map(([d, n]) => new DecideCommand(d, n)),
    ),
    w(
      4,
      fc.integer({ min: 100, max: 2500 }).map((ms) => new WaitCommand(ms)),
    ),
    w(2, fc.constant(new AwaitNewRunCommand())),
    w(1, fc.constant(new WakeCommand())),
    w(
      1,
      fc.boolean().map((variant) => new StartAgainCommand(variant)),
    ),
    w(1, fc.constant(new CancelCommand())),
    w(1, fc.constant(new CancelAtCircleCommand())),
    w(
      1,
      realismModes.map((m) => new RealismCommand(m)),
    ),
    w(
      2,
      fc.array(faultRule, { minLength: 1, maxLength: 3 }).map((rules) => new FaultsCommand(rules)),
    ),
    w(1, fc.constant(new ClearFaultsCommand())),
    w(
      1,
      pick.map((p) => new ResetCommand(p)),
    ),
    ...(restarts ? [w(1, fc.constant(new RestartWorkerCommand()))] : []),
  ];
  // A command's name is what its toString starts with; one unknown to the list is a typo.
  const names = new Set(all.map((c) => nameOf(c.arbitrary)));
  for (const n of without)
    if (!names.has(n)) throw new UsageError(`--without: no command ${n} (${[...names].join(', ')})`);
  return [fc.oneof(...all.filter((c) => !without.includes(nameOf(c.arbitrary))))];
}

/** The command name an arbitrary draws (every draw of one arbitrary is the same command class). */
function nameOf(arbitrary: Cmd): string {
  const [sample] = fc.sample(arbitrary, { numRuns: 1, seed: 1 });
  return String(sample).replace(/[ (].*$/s, '');
}
