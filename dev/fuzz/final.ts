// The checks after a sequence, once faults are off and the onboarding had time to settle: it ended in a
// way docs/failure-types.md documents, or waits with a visible reason that agrees with Circle's status; every reply
// still agrees with what Circle holds; no signalled answer vanished; and no run of it looped without
// a wait or grew its history past the bound.
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { OnboardingFailure, type OnboardingProgress } from '../../src/contract';
import { checkAnswerAgainstCircle, checkCounts, InvariantViolation } from './invariants';
import { explainedFailures, type Model } from './model';
import { handleOf, progressOf, type Real } from './system';

/** Steps a running onboarding may rest in: each says what it waits for. */
export const WAITING_STEPS = [
  'awaiting-section-data',
  'awaiting-documents',
  'in-review',
  'awaiting-rfi-answers',
  'awaiting-account-activation',
  'blocked-on-credentials',
];

/** The step that agrees with each true status of the application, for a running onboarding. */
const STEP_FOR_STATUS: Record<string, string[]> = {
  DRAFT: ['awaiting-section-data', 'awaiting-documents'],
  SUBMITTED: ['in-review'],
  IN_REVIEW: ['in-review'],
  PENDING_CUSTOMER_INFORMATION: ['awaiting-rfi-answers'],
  APPROVED: ['awaiting-account-activation'],
};

/** How long a sequence's onboarding gets to settle: stale-read window, read lag and a few polls. */
const SETTLE_MS = 20_000;

/**
 * The failure types of docs/failure-types.md: its first table's rows, and `Circle<Reason>`/`Clive<Reason>`
 * for a non-retryable API error.
 */
const DOCUMENTED_FAILURES = new Set<string>(Object.values(OnboardingFailure));
const documented = (type: string) => DOCUMENTED_FAILURES.has(type) || /^(Circle|Clive)[A-Z]\w*$/.test(type);

/** An activity-heavy stretch without a timer allowed per message sent (each may need a save or a PATCH). */
const ACTIVITIES_PER_MESSAGE = 2;
const ACTIVITIES_WITHOUT_TIMER = 12;
/** History events a run may exceed its `maxHistoryEvents` by: continue-as-new waits for messages. */
const HISTORY_SLACK = 150;

export interface Ending {
  status: string;
  failureType?: string;
  step?: string;
  circleStatus?: string;
  runs: number;
}

export async function finalChecks(model: Model, real: Real): Promise<Ending> {
  const violated = (m: string): never => {
    throw new InvariantViolation(m);
  };
  const { status, progress, circleStatus } = await settle(real, model);
  const ending: Ending = { status, step: progress?.step, circleStatus, runs: 0 };
  model.trace.push(
    `settled: ${status}${progress ? ` at ${progress.step}` : ''}, Circle ${circleStatus ?? '-'}`,
  );

  if (status === 'RUNNING') {
    if (!progress) violated('running, but the progress query is not answered');
    if (!WAITING_STEPS.includes(progress!.step)) violated(`running, not waiting: step ${progress!.step}`);
    if (model.cancelRequested)
      violated(`cancel was requested, but the onboarding runs on (${progress!.step})`);
    // Sent back to DRAFT in review, while notifications flow: Circle sends none, the backstop finds it.
    const backstop = model.notified && circleStatus === 'DRAFT' && progress!.step === 'in-review';
    const agrees = backstop || (circleStatus && STEP_FOR_STATUS[circleStatus]?.includes(progress!.step));
    if (circleStatus && !agrees)
      violated(`waits at ${progress!.step} while Circle's application is ${circleStatus}`);
  } else if (status === 'COMPLETED') {
    const result = await handleOf(real).result();
    if (circleStatus !== 'APPROVED') violated(`completed, but Circle's application is ${circleStatus}`);
    const accounts = await real.circle.accounts(real.clientEntityId ?? result.clientEntityId);
    if (accounts.length !== 1 || accounts[0]!.accountId !== result.accountId)
      violated(`completed with account ${result.accountId}, Circle holds ${JSON.stringify(accounts)}`);
  } else if (status === 'FAILED') {
    ending.failureType = await failureType(real);
    if (!documented(ending.failureType)) violated(`failed with an undocumented type ${ending.failureType}`);
    if (!explainedFailures(model).includes(ending.failureType))
      violated(`failed ${ending.failureType}, which nothing in the sequence explains`);
    if (ending.failureType === OnboardingFailure.ApplicationDenied && circleStatus !== 'DENIED')
      violated(`failed ApplicationDenied, but Circle's application is ${circleStatus}`);
  } else if (status === 'CANCELLED') {
    if (!model.cancelRequested) violated('cancelled, but nobody asked');
    if (circleStatus === 'DRAFT' && !sentBackAfterLastRead(model, real))
      violated('cancelled, but the DRAFT application was left open at Circle');
  } else {
    violated(`ended ${status}`);
  }
  if (
    circleStatus === 'CANCELLED' &&
    status === 'FAILED' &&
    ending.failureType !== OnboardingFailure.ApplicationCancelledAtCircle &&
    !model.cancelledAtCircleAfterEnd // the onboarding failed first; Circle's cancel came after
  )
    violated(`Circle cancelled the application, but the onboarding failed ${ending.failureType}`);
  if (
    circleStatus === 'DENIED' &&
    !(status === 'CANCELLED' || ending.failureType === OnboardingFailure.ApplicationDenied)
  )
    violated(
      `Circle denied the application, but the onboarding is ${status} ${ending.failureType ?? progress?.step ?? ''}`,
    );

  checkCounts(model, real);
  // Still true at the end, unless a later RFI asked for the same field again (the automatic one does).
  for (const [i, a] of model.answers.entries()) {
    const later = model.answers.slice(i + 1).some((b) => b.section === a.section && b.field === a.field);
    if (!later) await checkAnswerAgainstCircle(model, real, a);
  }
  if (status === 'RUNNING') checkSignals(model, progress!, circleStatus);
  ending.runs = await checkHistories(model, real);
  return ending;
}

/** Waits until the onboarding ended, or rests in a waiting step that agrees with Circle's status. */
async function settle(
  real: Real,
  model: Readonly<Model>,
): Promise<{ status: string; progress?: OnboardingProgress; circleStatus?: string }> {
  const until = Date.now() + SETTLE_MS;
  for (;;) {
    const status = (await handleOf(real).describe()).status.name;
    // A closed run still answers queries (the worker replays it): the ids it learned are needed.
    const progress = status === 'RUNNING' || !real.applicationId ? await progressOf(real) : undefined;
    const circleStatus = real.applicationId ? await real.circle.trueStatus(real.applicationId) : undefined;
    // A cancelled onboarding is settled once closed: until its cancel is handled, it still shows a wait.
    const rests =
      !model.cancelRequested &&
      progress &&
      WAITING_STEPS.includes(progress.step) &&
      (!circleStatus ||
        STEP_FOR_STATUS[circleStatus]?.includes(progress.step) ||
        (model.notified && circleStatus === 'DRAFT' && progress.step === 'in-review'));
    if (status !== 'RUNNING' || rests || Date.now() > until) return { status, progress, circleStatus };
    await sleep(250);
  }
}

async function failureType(real: Real): Promise<string> {
  try {
    await handleOf(real).result();
    return 'none';
  } catch (err) {
    const cause = err instanceof WorkflowFailedError ? err.cause : err;
    return cause instanceof ApplicationFailure ? (cause.type ?? 'untyped') : `${(cause as Error).name}`;
  }
}

/**
 * A signalled answer is applied, refused (shown in progress errors), or kept (pendingRfiAnswers) while
 * its RFI is open: while the onboarding waits for answers, none may have vanished.
 */
function checkSignals(model: Model, progress: OnboardingProgress, circleStatus: string | undefined): void {
  if (progress.step !== 'awaiting-rfi-answers' || circleStatus !== 'PENDING_CUSTOMER_INFORMATION') return;
  const open = new Set(progress.rfis.filter((r) => r.state === 'open').map((r) => r.rfiId));
  for (const a of model.answers) {
    if (a.via !== 'signal' || a.reply || !open.has(a.rfiId) || a.value === undefined) continue;
    const seen =
      progress.pendingRfiAnswers.includes(a.rfiId) ||
      progress.errors.some((e) => e.message.includes(a.rfiId)) ||
      (progress.rfis.find((r) => r.rfiId === a.rfiId)?.lastErrors?.length ?? 0) > 0;
    // Errors are a short recent list: a full one may have dropped the refusal.
    if (!seen && progress.errors.length < 10) {
      throw new InvariantViolation(
        `a signalled answer to open RFI ${a.rfiId} is neither applied, nor kept, nor shown as refused`,
      );
    }
  }
}

/** Every run of the onboarding (continue-as-new, resets): bounded history, no loop without a timer. */
async function checkHistories(model: Model, real: Real): Promise<number> {
  const limit = (real.input.options?.maxHistoryEvents ?? 10_000) + HISTORY_SLACK;
  const stretch = ACTIVITIES_WITHOUT_TIMER + ACTIVITIES_PER_MESSAGE * model.messages;
  const runIds: string[] = [];
  for await (const e of real.client.workflow.list({ query: `WorkflowId = '${real.workflowId}'` })) {
    runIds.push(e.runId);
  }
  for (const runId of runIds) {
    const events = (await real.client.workflow.getHandle(real.workflowId, runId).fetchHistory()).events ?? [];
    if (events.length > limit)
      throw new InvariantViolation(`run ${runId} has ${events.length} history events (bound ${limit})`);
    let activities = 0;
    let most = 0;
    for (const e of events) {
      if (e.timerStartedEventAttributes) activities = 0;
      if (e.activityTaskScheduledEventAttributes) most = Math.max(most, ++activities);
    }
    if (most > stretch) {
      throw new InvariantViolation(
        `run ${runId} scheduled ${most} activities without a timer between (bound ${stretch})`,
      );
    }
  }
  return runIds.length;
}

/** Room for a read answered after the decision that still saw the state before it (latency, clocks). */
const READ_MARGIN_MS = 300;

/**
 * Whether Circle sent the application back to DRAFT after the cancelled onboarding's last read of it:
 * no GET of the application could have seen DRAFT (answered after the decision, past read lag and
 * latency), so the compensation found it in review, where Circle allows no cancel.
 */
function sentBackAfterLastRead(model: Model, real: Real): boolean {
  const at = model.sentBackAfterCancelAt;
  const id = real.applicationId;
  if (at === undefined || !id) return false;
  const control = real.stack.simulator.control;
  const { readLagMs, latencyMs } = control.applicationRealism(id).modes;
  const seenFrom = at + readLagMs + latencyMs + READ_MARGIN_MS;
  const path = `/v1/onboarding/partner/applications/${id}`;
  return !control
    .state()
    .requests.some((r) => r.method === 'GET' && r.path === path && Date.parse(r.at) > seenFrom);
}
