// The fuzz run on a started stack: fast-check draws a scenario and a command sequence per run, runs
// each as one sequence (sequence.ts), shrinks a failure to a shorter sequence and reports the line
// that replays it. Returns the JSON summary.
import fc from 'fast-check';
import type { LocalStack } from '../local-stack';
import { commandArbitraries } from './commands';
import { scenarioArb } from './inputs';
import { reproduceLine, type FuzzArgs } from './options';
import { runSequence, type SequenceContext } from './sequence';
import type { Ending } from './final';

const log = (line: string) => process.stderr.write(`[fuzz] ${line}\n`);

export async function runFuzz(
  stack: LocalStack,
  args: FuzzArgs,
  tag: string,
): Promise<Record<string, unknown>> {
  const sequences: { ending?: Ending; commands: string[]; error?: string }[] = [];
  const ctx: SequenceContext = {
    stack,
    tag,
    count: 0,
    trace: args.trace,
    record: (s) => sequences.push(s),
    log,
  };
  const commands = fc.commands(
    commandArbitraries({
      restarts: args.restarts && !!stack.restartWorker,
      without: args.without,
    }),
    {
      maxCommands: args.maxCommands,
      ...(args.replayPath ? { replayPath: args.replayPath } : {}),
    },
  );
  const property = fc.asyncProperty(scenarioArb, fc.scheduler(), commands, (scenario, scheduler, cmds) =>
    runSequence(ctx, scenario, scheduler, cmds),
  );
  const where = `${args.path ? `, path ${args.path}` : ''}${args.localCalls ? ', local Circle calls' : ''}`;
  log(`${args.runs} sequences, seed ${args.seed}${where}`);
  const started = Date.now();
  const details = await fc.check(property, {
    numRuns: args.runs,
    seed: args.seed,
    ...(args.path ? { path: args.path } : {}),
    endOnFailure: !args.shrink,
    ...(args.timeLimitS ? { interruptAfterTimeLimit: args.timeLimitS * 1000 } : {}),
  });
  const durationMs = Date.now() - started;

  let failure: Record<string, unknown> | undefined;
  if (details.failed && details.counterexample) {
    const [scenario, scheduler, cmds] = details.counterexample;
    const replayPath = /replayPath="([^"]*)"/.exec(String(cmds))?.[1];
    const reproduce = reproduceLine(args, details.counterexamplePath, replayPath);
    failure = {
      error: (details.errorInstance as Error | undefined)?.message,
      scenario,
      commands: String(cmds).replace(/\s*\/\*replayPath=.*\*\//, ''),
      ...(scheduler.report().length ? { order: String(scheduler) } : {}),
      shrinks: details.numShrinks,
      reproduce,
    };
    log(
      `FAILED after ${details.numRuns} sequences (${details.numShrinks} shrinks): ${String(failure.error)}`,
    );
    log(`minimal sequence: ${String(failure.commands)}`);
    log(`reproduce with: ${reproduce}`);
  }
  const tally = (values: string[]) =>
    values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});
  const ended = sequences.filter((s) => s.ending).map((s) => s.ending!);
  return {
    ok: !details.failed,
    seed: args.seed,
    ...(args.without.length ? { without: args.without } : {}),
    ...(args.localCalls ? { localCalls: true } : {}),
    sequencesPassed: details.numRuns - (details.failed ? 1 : 0),
    sequencesRun: sequences.length,
    interrupted: details.interrupted,
    durationMs,
    endings: tally(
      ended.map((e) =>
        e.status === 'FAILED'
          ? `failed:${e.failureType}`
          : e.status === 'RUNNING'
            ? `waiting:${e.step}`
            : e.status.toLowerCase(),
      ),
    ),
    continuedAsNewOrReset: ended.filter((e) => e.runs > 1).length,
    commands: tally(sequences.flatMap((s) => s.commands)),
    ...(failure ? { failure } : {}),
  };
}
