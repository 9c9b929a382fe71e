// Drives one onboarding as other services would: starts it, answers its RFIs (update or signal) once
// the progress query shows them open, approves `[manual]` reviews, and waits for its end. Queries and
// messages fail while the worker is down; the driver tries again instead of giving up.
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowFailedError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  answerRfiUpdate,
  progressQuery,
  rfiAnsweredSignal,
  startOnboarding,
  type OnboardingProgress,
  type OnboardingResult,
} from '../../src/contract';
import type { RunningSimulator } from '../../simulator';
import { realismAt, UNKNOWN_APPLICATION_STATUS, type SoakRealismMode } from './realism';
import { roundsOf, scenarioAt, soakInput, type Scenario } from './scenarios';

export interface Run {
  index: number;
  scenario: Scenario;
  /** The realism modes it meets (realism.ts). */
  modes: SoakRealismMode[];
  /** Submissions it must make: the scenario's rounds, one more if sent back to DRAFT. */
  rounds: number;
  workflowId?: string;
  firstRunId?: string;
  /** The Clive client id in its input, if it registers with Clive. */
  cliveClientId?: string;
  outcome: 'completed' | 'failed' | 'timeout' | 'not-started';
  failureType?: string;
  message?: string;
  result?: OnboardingResult;
  /** Distinct RFIs the driver answered. */
  rfisAnswered: number;
  /** Answers sent again: a refused update, or a signal whose RFI was still open seconds later. */
  answersRetried: number;
  ms: number;
}

export interface DriveContext {
  client: Client;
  taskQueue: string;
  simulator: RunningSimulator;
  runId: string;
  seed: number;
  /** Share of onboardings that meet each realism mode (0: none). */
  realismShare: number;
  /** Epoch ms at which the soak stops waiting. */
  deadline: number;
}

/** After this long without a continue-as-new the driver acts anyway (and the check says so). */
const HOLD_MAX_MS = 60_000;
const SIGNAL_RESEND_MS = 5_000;
const ANSWER = { website: 'https://soak.example.com' };

type Handle = Awaited<ReturnType<typeof startOnboarding>>;

export async function drive(ctx: DriveContext, index: number): Promise<Run> {
  const scenario = scenarioAt(ctx.seed, index);
  const modes = realismAt(ctx.seed, index, ctx.realismShare);
  const run: Run = {
    index,
    scenario,
    modes,
    rounds: roundsOf(scenario, modes),
    outcome: 'not-started',
    rfisAnswered: 0,
    answersRetried: 0,
    ms: 0,
  };
  if (Date.now() >= ctx.deadline) return run;
  const started = Date.now();
  const input = soakInput(ctx.runId, ctx.seed, index, scenario, modes);
  run.cliveClientId = input.clive?.clientId;
  let handle: Handle;
  try {
    handle = await startOnboarding(ctx.client, input, { taskQueue: ctx.taskQueue });
  } catch (err) {
    return { ...run, outcome: 'failed', failureType: 'StartFailed', message: (err as Error).message };
  }
  run.workflowId = handle.workflowId;
  run.firstRunId = handle.firstExecutionRunId;

  let settled = false;
  const ended = handle.result().then(
    (result) => {
      Object.assign(run, { outcome: 'completed', result });
    },
    (err: unknown) => {
      const cause = err instanceof WorkflowFailedError ? err.cause : err;
      run.outcome = 'failed';
      run.failureType = cause instanceof ApplicationFailure ? (cause.type ?? 'Error') : (cause as Error).name;
      run.message = (cause as Error).message;
    },
  );
  void ended.finally(() => (settled = true));
  const untilDeadline = sleep(Math.max(0, ctx.deadline - Date.now()), undefined, { ref: false });

  if (scenario.answers.length || scenario.continueAsNew) {
    await steer(ctx, handle, scenario, run, () => settled);
  }
  await Promise.race([ended, untilDeadline]);
  if (!settled) run.outcome = 'timeout';
  run.ms = Date.now() - started;
  return run;
}

async function steer(
  ctx: DriveContext,
  handle: Handle,
  scenario: Scenario,
  run: Run,
  settled: () => boolean,
): Promise<void> {
  const answered = new Set<string>(); // by an accepted update
  const rounds = new Map<string, number>(); // rfiId -> its round, in the order the RFIs appeared
  const signalled = new Map<string, number>(); // rfiId -> when
  const attempts = new Map<string, number>(); // rfiId -> refused updates so far
  // The run id when the driver first could have acted; it acts once the workflow has moved past it.
  let heldAt: { runId: string; since: number } | undefined;
  let approved = false;

  while (!settled() && Date.now() < ctx.deadline) {
    const progress = await handle.query(progressQuery).catch(() => undefined);
    const ready = progress && (openRfis(progress, answered).length > 0 || awaitingManual(run, progress));
    if (progress && ready && (await released(scenario))) {
      if (awaitingManual(run, progress) && !approved) {
        // `[manual]` waits for compliance: decide as a reviewer would, through the control API.
        try {
          ctx.simulator.control.review(progress.applicationId!, { outcome: 'approve' });
          approved = true;
        } catch {
          // Decided meanwhile, or not in review yet: the next lap looks again.
        }
      }
      for (const rfi of openRfis(progress, answered)) {
        if (!rounds.has(rfi.rfiId)) {
          rounds.set(rfi.rfiId, rounds.size);
          run.rfisAnswered++;
        }
        const by = scenario.answers[rounds.get(rfi.rfiId)!] ?? 'update';
        if (by === 'update') await answerByUpdate(rfi.rfiId);
        else answerBySignal(rfi.rfiId, progress);
      }
    }
    await sleep(200);
  }

  /** For continue-as-new scenarios: true once a new run took over since the driver could first act. */
  async function released(s: Scenario): Promise<boolean> {
    if (!s.continueAsNew) return true;
    const runId = (await handle.describe().catch(() => undefined))?.runId;
    if (!runId) return false;
    heldAt ??= { runId, since: Date.now() };
    return runId !== heldAt.runId || Date.now() - heldAt.since > HOLD_MAX_MS;
  }

  async function answerByUpdate(rfiId: string): Promise<void> {
    const attempt = attempts.get(rfiId) ?? 0;
    try {
      // A fixed update id per attempt: sent again after a lost reply, the server deduplicates it.
      const accepted = await Promise.race([
        handle
          .executeUpdate(answerRfiUpdate, {
            args: [{ rfiId, answer: ANSWER }],
            updateId: `soak-answer-${rfiId}-${attempt}`,
          })
          .then(() => true),
        sleep(Math.max(0, ctx.deadline - Date.now()), false, { ref: false }),
      ]);
      if (accepted) answered.add(rfiId);
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        attempts.set(rfiId, attempt + 1);
        run.answersRetried++;
      }
    }
  }

  function answerBySignal(rfiId: string, progress: OnboardingProgress): void {
    const sent = signalled.get(rfiId);
    if (progress.pendingRfiAnswers.includes(rfiId)) return; // received, not applied yet
    if (sent !== undefined && Date.now() - sent < SIGNAL_RESEND_MS) return;
    if (sent !== undefined) run.answersRetried++;
    signalled.set(rfiId, Date.now());
    handle.signal(rfiAnsweredSignal, { rfiId, answer: ANSWER }).catch(() => signalled.delete(rfiId));
  }
}

function openRfis(progress: OnboardingProgress, answered: Set<string>) {
  if (progress.step !== 'awaiting-rfi-answers') return [];
  return progress.rfis.filter((r) => r.state === 'open' && !answered.has(r.rfiId));
}

/**
 * A `[manual]` review waiting for the reviewer: in review (or the unknown status shown instead) in its
 * last round, so that a `[draft]` onboarding is approved only once sent back and submitted again.
 */
function awaitingManual(run: Run, progress: OnboardingProgress): boolean {
  const status = progress.applicationStatus;
  return (
    run.scenario.tag.includes('[manual]') &&
    (status === 'IN_REVIEW' || status === UNKNOWN_APPLICATION_STATUS) &&
    progress.submissionRound >= run.rounds
  );
}
