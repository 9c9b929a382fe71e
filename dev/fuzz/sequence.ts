// One generated sequence: a fresh onboarding (unique client name) started on the shared stack, the
// commands run against it and the model, the final checks, then the onboarding and the fault rules
// cleared away so that the next sequence starts from a quiet simulator.
import fc from 'fast-check';
import { startOnboarding } from '../../src/contract';
import type { LocalStack } from '../local-stack';
import { CircleView } from './circle';
import { finalChecks, type Ending } from './final';
import { inputOf, type Scenario } from './inputs';
import { initialModel, type Model } from './model';
import { handleOf, type Real } from './system';

export interface SequenceContext {
  stack: LocalStack;
  /** Tells this fuzz process's client names from another's on a shared simulator. */
  tag: string;
  /** Sequences run so far: each onboarding's client name is its own. */
  count: number;
  /** Print every sequence's trace (else only those of failed sequences and failed onboardings). */
  trace: boolean;
  /** Called with each finished sequence (passed or failed), for the summary. */
  record(s: { ending?: Ending; commands: string[]; error?: string }): void;
  log(line: string): void;
}

export async function runSequence(
  ctx: SequenceContext,
  scenario: Scenario,
  scheduler: fc.Scheduler,
  commands: Iterable<fc.AsyncCommand<Model, Real>>,
): Promise<void> {
  const name = `Fuzz ${ctx.tag} ${++ctx.count}`;
  const { stack } = ctx;
  const circle = new CircleView(stack.simulator);
  stack.simulator.control.clearFaults();
  const input = inputOf(scenario, name);
  const base = circle.counts();
  const handle = await startOnboarding(stack.client, input, { taskQueue: stack.taskQueue });
  const model = initialModel();
  const real: Real = {
    stack,
    client: stack.client,
    input,
    workflowId: handle.workflowId,
    circle,
    base,
    inFlight: 0,
    scheduler,
  };
  const executed: string[] = [];
  try {
    await fc.asyncModelRun(() => ({ model, real }), tracked(commands, executed));
    // Faults off before the verdict: the end state must follow from what happened, not from a fault.
    stack.simulator.control.clearFaults();
    const ending = await finalChecks(model, real);
    ctx.record({ ending, commands: executed });
    // A failed onboarding is a documented ending, but worth reading: its trace says how it got there.
    if (ending.status === 'FAILED' || ctx.trace)
      ctx.log(`#${ctx.count} trace:\n    ${model.trace.join('\n    ')}`);
    ctx.log(
      `#${ctx.count} ${executed.length} commands: ${ending.status}${ending.failureType ? ` ${ending.failureType}` : ''}${ending.step && ending.status === 'RUNNING' ? ` at ${ending.step}` : ''}, ${ending.runs} runs`,
    );
  } catch (err) {
    ctx.record({ commands: executed, error: (err as Error).message });
    ctx.log(`#${ctx.count} failed: ${(err as Error).message}\n  trace:\n    ${model.trace.join('\n    ')}`);
    throw err;
  } finally {
    stack.simulator.control.clearFaults();
    await handleOf(real)
      .terminate('fuzz sequence done')
      .catch(() => undefined); // ended already
  }
}

/** The commands as fast-check hands them over, noting each one that ran (for the summary's mix). */
function* tracked<C extends { toString(): string }>(commands: Iterable<C>, executed: string[]): Generator<C> {
  for (const c of commands) {
    executed.push(c.toString().replace(/\(.*$/s, ''));
    yield c;
  }
}
