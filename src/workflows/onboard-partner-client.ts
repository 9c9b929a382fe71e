// One durable onboarding per client: create the client, fill and submit the application, answer
// RFIs, open the custody account, optionally register with Clive. Deterministic code only: every side
// effect is an activity, and every write carries an idempotency key derived from the workflow id.
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  ContinueAsNew,
  isCancellation,
  log,
  sleep,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import { MessageRejection, OnboardingFailure } from '../contract/failures';
import type { OnboardingInput, ParsedOnboardingInput } from '../contract/input';
import type { OnboardingResult } from '../contract/progress';
import type { OnboardPartnerClientWorkflow } from '../contract/workflow';
import { countOutcome, countStarted } from '../observability/workflow-metrics';
import { compensation, local } from './calls';
import {
  callCircleLocally,
  compensationWaitsOutLag,
  decidePatches,
  settlesMessages,
  toleratesLag,
} from './versions';
import { asWorkflowFailure, fail } from './failures';
import { isNotFoundYet } from './waiting';
import { registerHandlers } from './handlers';
import { keyOf } from './keys';
import { Onboarding } from './onboarding';
import { CARRIED_VERSIONS_READ, initialState, upgradeState, type Carried } from './state';
import { runSteps } from './transitions';
import { recordError, showDetails, showStep, writeAttributes } from './visibility';

/**
 * The workflow callers declare in the contract (`OnboardPartnerClientWorkflow`): the input, the result.
 * `carried` is what this workflow hands itself when it continues as new; no caller sends it.
 */
export const onboardPartnerClient = async function onboardPartnerClient(
  rawInput: OnboardingInput,
  carried?: Carried,
): Promise<OnboardingResult> {
  return countOutcome(() => onboard(rawInput, carried)); // metrics: completed, failed, cancelled
} satisfies OnboardPartnerClientWorkflow;

async function onboard(rawInput: OnboardingInput, carried?: Carried): Promise<OnboardingResult> {
  const info = workflowInfo();
  // Carried state is trusted only from this workflow's own continue-as-new, never from a caller.
  const own = carried !== undefined && info.continuedFromExecutionRunId !== undefined;
  const o = new Onboarding(
    info.workflowId,
    own ? upgradeState(carried.state) : initialState(keyOf.createClient(info.workflowId)),
  );
  registerHandlers(o); // before the first await: nothing sent right after the start is lost
  decidePatches(); // before the first await too (calls.ts says why)
  if (!own) countStarted(); // once per onboarding, not again after continue-as-new
  if (carried !== undefined && !own) {
    throw fail(
      OnboardingFailure.InvalidInput,
      'Invalid onboarding input: a second start argument is accepted only from the workflow itself (continue-as-new); start with the input alone',
    );
  }
  if (own && !CARRIED_VERSIONS_READ.includes(carried.version)) {
    // A plain Error fails the workflow task, not the onboarding: a worker that reads it takes it on.
    throw new Error(
      `carried state version ${carried.version} is not one this worker reads (${CARRIED_VERSIONS_READ.join(', ')})`,
    );
  }
  if (own) {
    if (o.state.localCircleCalls) callCircleLocally(); // before anything is awaited, as decidePatches
    o.input = carried.input ?? (rawInput as ParsedOnboardingInput);
    // An answer being applied when the last run continued is applied again here (its signal is kept;
    // an update was answered before the run continued).
    if (settlesMessages())
      for (const rfi of o.progress.rfis) if (rfi.state === 'applying') rfi.state = 'open';
  } else {
    const verdict = await local.validateOnboardingInput(rawInput);
    if (!verdict.valid) {
      throw fail(
        OnboardingFailure.InvalidInput,
        `Invalid onboarding input: ${verdict.message}`,
        verdict.issues,
      );
    }
    o.input = verdict.input;
    if (verdict.localCircleCalls) {
      o.state.localCircleCalls = true;
      callCircleLocally();
    }
    o.state.unsavedSections = Object.keys(o.input.sections);
    o.progress.documents = (o.input.documents ?? []).map((ref) => ({ ...ref, version: 0, state: 'given' }));
    if (toleratesLag())
      o.progress.idempotencyKeys.createClient = keyOf.createClientFor(o.workflowId, o.input.client);
  }
  o.progress.idempotencyKeys.createAccount ??= toleratesLag()
    ? keyOf.accountFor(o.workflowId, o.input.account.description)
    : keyOf.account(o.workflowId);
  showDetails(o); // every run, so continue-as-new keeps what the Web UI shows
  return run(o);
}

async function run(o: Onboarding): Promise<OnboardingResult> {
  try {
    return await finish(o);
  } finally {
    writeAttributes(o); // the last step (completed, failed, cancelled) before the run closes
  }
}

async function finish(o: Onboarding): Promise<OnboardingResult> {
  try {
    await runSteps(o);
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    settleMessages(o);
    if (isCancellation(err)) {
      const problem = await CancellationScope.nonCancellable(() => compensate(o));
      showStep(o, 'cancelled');
      if (problem) {
        // A cancelled run records no details of its own: the reason goes where operators read it
        // after the run closed (the progress query and the run's memo).
        recordError(o, 'CompensationFailed', problem);
        upsertMemo({ compensationProblem: problem });
      }
      throw err;
    }
    const step = o.progress.step;
    showStep(o, 'failed');
    throw asWorkflowFailure(err, step);
  }
  showStep(o, 'completed');
  writeAttributes(o);
  settleMessages(o);
  await condition(allHandlersFinished);
  const p = o.progress;
  return {
    clientEntityId: p.clientEntityId!,
    applicationId: o.applicationId,
    accountId: p.accountId!,
    ...(p.cliveClientId ? { cliveClientId: p.cliveClientId } : {}),
    adoptedExistingClient: o.state.adoptedExistingClient,
    submissionRounds: p.submissionRound,
    idempotencyKeys: p.idempotencyKeys,
    timeline: p.timeline,
  };
}

/** Messages still waiting when the onboarding ends are told so, instead of waiting forever. */
function settleMessages(o: Onboarding): void {
  const ended = {
    path: '',
    error: 'onboarding_ended',
    message: `the onboarding has ended (${o.progress.step})`,
  };
  o.ended = true; // section updates waiting for a save see that none will come
  for (const t of o.tickets)
    if (!t.outcome) t.outcome = { type: MessageRejection.OnboardingNotReady, errors: [ended] };
}

/**
 * On cancellation: cancels the application at Circle only if this run knows it (it created or adopted
 * it) and it is still DRAFT. Returns what went wrong, if anything: the run still ends as cancelled.
 */
async function compensate(o: Onboarding): Promise<string | undefined> {
  const applicationId = o.progress.applicationId;
  const status = o.progress.applicationStatus;
  // Since `lagging-circle` the last status seen is not trusted to be current (a reviewer may have sent
  // the application back to DRAFT since): unless it is final, the activity reads it and cancels a draft.
  const left = toleratesLag()
    ? status !== undefined && ['APPROVED', 'DENIED', 'CANCELLED'].includes(status)
    : status !== undefined && status !== 'DRAFT';
  if (!applicationId || left) return undefined;
  for (let pause = o.options.pollInterval; ; pause = Math.min(pause * 2, o.options.maxPollInterval)) {
    try {
      const result = await compensation('cancelDraftApplication', 'Cancel draft application', applicationId);
      if (result.cancelled) o.progress.applicationStatus = result.status;
      log.info('onboarding cancelled', {
        applicationId,
        applicationCancelled: result.cancelled,
        status: result.status,
      });
      return undefined;
    } catch (err) {
      // Circle may not show an application yet just after creating it: that 404 is waited out.
      if (isNotFoundYet(o, err, o.state.clientCreatedAt) && compensationWaitsOutLag()) {
        await sleep(pause);
        continue;
      }
      return `the DRAFT application could not be cancelled at Circle: ${(err as Error).message}`;
    }
  }
}
