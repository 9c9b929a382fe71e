// Commands from the people and machines around the onboarding: a second start (same input: joins;
// another input: refused), a cancel, the worker restarted, an operator's reset to a workflow task of
// the current run, time passing (so that polls, deadlines and continue-as-new happen), a status
// notification relayed as a signal.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type fc from 'fast-check';
import {
  OnboardingStartRefused,
  startOnboarding,
  StartRefusal,
  type OnboardingInput,
} from '../../../src/contract';
import { checkCounts, InvariantViolation } from '../invariants';
import { variantOf } from '../inputs';
import type { Model } from '../model';
import { handleOf, wake, wordOf, type Real } from '../system';

/** Long enough for a polling run to reach the inputs' small `maxHistoryEvents`. */
const NEW_RUN_WAIT_MS = 10_000;

async function running(real: Real): Promise<boolean> {
  const d = await handleOf(real).describe();
  return d.status.name === 'RUNNING';
}

/** Starts the same client again; `variant` with another input. Checked only while the run is open. */
export class StartAgainCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly variant: boolean) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    // A closed onboarding may legitimately be started anew (a failed one is re-run): not this command.
    if (!(await running(real))) return void model.trace.push('start again: the onboarding has ended');
    const input: OnboardingInput = this.variant ? variantOf(real.input) : real.input;
    const got = await startOnboarding(real.client, input, { taskQueue: real.stack.taskQueue }).then(
      (h) => ({ workflowId: h.workflowId }),
      (err: unknown) => ({ err }),
    );
    const word =
      'err' in got
        ? got.err instanceof OnboardingStartRefused
          ? got.err.type
          : wordOf(got.err)
        : got.workflowId === real.workflowId
          ? 'joined'
          : `started ${got.workflowId}`;
    model.trace.push(`start again${this.variant ? ' (other input)' : ''}: ${word}`);
    const expected = this.variant ? StartRefusal.InputConflict : 'joined';
    // The run may end between the describe and the start: then neither answer proves anything.
    if (word !== expected && (await running(real))) {
      throw new InvariantViolation(
        `a second start${this.variant ? ' with another input' : ''}: ${word}, expected ${expected}`,
      );
    }
    checkCounts(model, real);
  }
  toString = () => `StartAgain(${this.variant ? 'variant' : 'same'})`;
}

export class CancelCommand implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => !m.cancelRequested;
  async run(model: Model, real: Real): Promise<void> {
    const word = await handleOf(real)
      .cancel()
      .then(() => 'requested', wordOf);
    model.cancelRequested = word === 'requested';
    // A DRAFT application is cancelled at Circle with it (a reset run may meet it so).
    model.cancelledAtCircle ||= model.cancelRequested;
    model.trace.push(`cancel: ${word}`);
  }
  toString = () => 'Cancel';
}

/** The worker stopped (SIGTERM: tasks in flight are given back) and a new one started. */
export class RestartWorkerCommand implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    if (!real.stack.restartWorker) return void model.trace.push('restart worker: not available');
    const child = await real.stack.restartWorker('SIGTERM');
    model.trace.push(`worker restarted (pid ${child.pid})`);
  }
  toString = () => 'RestartWorker';
}

/** An operator's reset of the current run to one of its completed workflow tasks. */
export class ResetCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    if (real.inFlight > 0) return void model.trace.push('reset: updates in flight, skipped');
    const handle = handleOf(real);
    const { runId } = await handle.describe();
    const events = (await real.client.workflow.getHandle(real.workflowId, runId).fetchHistory()).events ?? [];
    const points = events.filter((e) => e.workflowTaskCompletedEventAttributes).map((e) => e.eventId!);
    if (points.length === 0) return void model.trace.push('reset: no completed workflow task yet');
    const point = points[this.pick % points.length]!;
    const reset = await real.client.workflowService.resetWorkflowExecution({
      namespace: real.stack.namespace,
      workflowExecution: { workflowId: real.workflowId, runId },
      reason: 'fuzz: operator reset',
      workflowTaskFinishEventId: point,
      requestId: randomUUID(),
    });
    model.trace.push(
      `reset run ${runId} to event ${String(point)} of ${events.length}: new run ${reset.runId}`,
    );
    // Temporal reapplies the signals (and updates) after the reset point, not a cancel request: a
    // reset to before the cancel takes it back (the operator's call), so the new run is not cancelled.
    const cancelAt = events.find((e) => e.workflowExecutionCancelRequestedEventAttributes)?.eventId;
    if (model.cancelRequested && cancelAt != null && Number(cancelAt) > Number(point)) {
      model.cancelRequested = false;
      model.trace.push('reset: the cancel request came after the reset point, so it is taken back');
    }
  }
  toString = () => `Reset(${this.pick})`;
}

/** Time passes: polls, deadlines and continue-as-new happen meanwhile. */
export class WaitCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    await sleep(this.ms);
    model.trace.push(`waited ${this.ms} ms`);
    checkCounts(model, real);
  }
  toString = () => `Wait(${this.ms})`;
}

/** Waits (10 s at most) until the onboarding has continued as new or been reset. */
export class AwaitNewRunCommand implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    const handle = handleOf(real);
    const first = await handle.describe();
    const until = Date.now() + NEW_RUN_WAIT_MS;
    let now = first;
    while (now.runId === first.runId && Date.now() < until) {
      await sleep(200);
      now = await handle.describe();
    }
    model.trace.push(
      now.runId === first.runId
        ? `no new run within ${NEW_RUN_WAIT_MS} ms (history ${first.historyLength} -> ${now.historyLength} events)`
        : `new run ${now.runId}`,
    );
  }
  toString = () => 'AwaitNewRun';
}

/** Circle's notification relayed by the service: wakes the current wait. */
export class WakeCommand implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    model.messages++;
    const word = await wake(real);
    model.notified ||= word === 'sent';
    model.trace.push(`applicationStatusChanged: ${word}`);
  }
  toString = () => 'Wake';
}
