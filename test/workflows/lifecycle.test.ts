// The long life of an onboarding: an operator's resets, a re-run after a failure, messages that race
// the workflow, forged start arguments. Each ends with the simulator's truth: every side effect once.
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  answerRfiUpdate,
  applicationStatusChangedSignal,
  progressQuery,
  provideSectionDataUpdate,
  rfiAnsweredSignal,
  startOnboarding,
  WORKFLOW_TYPE,
  type OnboardingInput,
  type OnboardPartnerClientWorkflow,
  type RfiAnswer,
} from '../../src/contract';
import { onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';
import { failureOf, start, waitForProgress, waitForStep, type OnboardingHandle } from '../helpers/workflow';

const t = useOnboardingEnv();

const withClive = (): Partial<OnboardingInput> => ({
  clive: { clientId: `CLV-${randomUUID().slice(0, 8)}`, legalName: 'Acme Payments Inc.' },
});

/** The id of the workflow task completed first after the activity `after` completed (or the first). */
async function resetPoint(handle: OnboardingHandle, after?: string) {
  const events = (await handle.fetchHistory()).events ?? [];
  let from = 0;
  if (after) {
    const scheduled = events.find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === after,
    );
    const done = events.find(
      (e) => String(e.activityTaskCompletedEventAttributes?.scheduledEventId) === String(scheduled?.eventId),
    );
    if (!done) throw new Error(`no completed ${after} activity in the history`);
    from = Number(done.eventId);
  }
  const task = events.find((e) => Number(e.eventId) > from && e.workflowTaskCompletedEventAttributes);
  return task!.eventId!;
}

async function reset(handle: OnboardingHandle, eventId: Awaited<ReturnType<typeof resetPoint>>) {
  const { runId } = await t.client.workflowService.resetWorkflowExecution({
    namespace: t.namespace,
    workflowExecution: { workflowId: handle.workflowId },
    reason: 'test: operator reset',
    workflowTaskFinishEventId: eventId,
    requestId: randomUUID(),
  });
  return t.client.workflow.getHandle<OnboardPartnerClientWorkflow>(handle.workflowId, runId ?? undefined);
}

describe('an operator reset', () => {
  test.each([
    ['to the first workflow task', undefined],
    ['to after the submit', 'submitApplication'],
    ['to after the account was created', 'createCustodyAccount'],
  ])('%s completes with every side effect exactly once', async (_name, after) => {
    const handle = await start(t, onboardingInput(withClive()));
    const first = await handle.result();

    const resetRun = await reset(handle, await resetPoint(handle, after));
    const second = await resetRun.result();

    expect(second).toMatchObject({
      clientEntityId: first.clientEntityId,
      applicationId: first.applicationId,
      accountId: first.accountId,
      cliveClientId: first.cliveClientId,
    });
    // Every write the reset run made carried the key the first run used (Circle replayed it).
    const { createClient, createAccount, cliveClient } = first.idempotencyKeys;
    expect(second.idempotencyKeys).toMatchObject({ createClient, createAccount, cliveClient });
    expect(t.sim.control.state()).toMatchObject({
      clients: 1,
      submissions: 1,
      accounts: { total: 1 },
      cliveClients: 1,
    });
  });
});

test('a reset to before the submit, once the application is in review, follows its status instead of failing', async () => {
  const handle = await start(t, onboardingInput({ tag: '[manual]' }));
  const review = await waitForStep(handle, 'in-review');
  await handle.terminate('operator: reset to before the submit');

  const resetRun = await reset(handle, await resetPoint(handle, 'createClient'));
  for (let i = 0; i < 200 && (await resetRun.query(progressQuery)).step !== 'in-review'; i++)
    await new Promise((r) => setTimeout(r, 50));
  t.sim.control.review(review.applicationId!, { outcome: 'approve' });
  const result = await resetRun.result();
  expect(result.applicationId).toBe(review.applicationId);
  expect(t.sim.control.state()).toMatchObject({ clients: 1, submissions: 1, accounts: { total: 1 } });
});

test('a reset to before the submit, once an RFI round is open, answers the round instead of waiting on its sections', async () => {
  const handle = await start(t, onboardingInput({ tag: '[manual] [realism:readLagMs=800]' }));
  const review = await waitForStep(handle, 'in-review');
  const applicationId = review.applicationId!;
  t.sim.control.review(applicationId, {
    outcome: 'rfi',
    rfis: [{ section: 'complianceProfile', field: 'resetQuestion', type: 'NEW_FIELD' }],
  });
  await handle.signal(applicationStatusChangedSignal, {
    applicationId,
    status: 'PENDING_CUSTOMER_INFORMATION',
  });
  const round = await waitForProgress(handle, (p) => p.rfis.some((r) => r.state === 'open'));
  await handle.terminate('operator: reset to before the submit');

  const tasks = ((await handle.fetchHistory()).events ?? []).filter(
    (e) => e.workflowTaskCompletedEventAttributes,
  );
  const resetRun = await reset(handle, tasks[2]!.eventId!); // a task before the sections were saved
  const seen = await waitForProgress(resetRun, (p) => p.rfis.some((r) => r.state === 'open'), 15_000);
  const rfiId = round.rfis[0]!.rfiId;
  expect(seen.rfis.map((r) => r.rfiId)).toContain(rfiId);
  await resetRun.executeUpdate(answerRfiUpdate, {
    args: [{ rfiId, answer: { resetQuestion: 'an answer' } }],
  });
  await waitForStep(resetRun, 'in-review');
  t.sim.control.review(applicationId, { outcome: 'approve' });
  await resetRun.signal(applicationStatusChangedSignal, { applicationId, status: 'APPROVED' });
  const result = await resetRun.result();
  expect(result.applicationId).toBe(applicationId);
  expect(t.sim.control.state()).toMatchObject({ clients: 1, submissions: 2, accounts: { total: 1 } });
});

test('a reset after Circle forgot the keys proves the client is its own and creates nothing twice', async () => {
  const handle = await start(t, onboardingInput(withClive()));
  const first = await handle.result();
  t.sim.control.expireKeys(); // key retention is undocumented: the retry meets the natural 409s

  const second = await (await reset(handle, await resetPoint(handle))).result();
  expect(second).toMatchObject({
    clientEntityId: first.clientEntityId,
    applicationId: first.applicationId,
    accountId: first.accountId,
    cliveClientId: first.cliveClientId,
    adoptedExistingClient: false, // its own client, proven by its earlier run: not someone else's
  });
  expect(t.sim.control.state()).toMatchObject({
    clients: 1,
    submissions: 1,
    accounts: { total: 1 },
    cliveClients: 1,
  });
});

test('a failed onboarding re-run with the same business key resumes with the same client, application and account', async () => {
  const clientId = `CLV-${randomUUID().slice(0, 8)}`;
  const input = onboardingInput({
    clive: { clientId, legalName: 'Acme Payments Inc.', partnerFeePercentage: 0.1 }, // below Clive's fee
  });
  const workflowId = `test-${randomUUID()}`;
  const failed = await startOnboarding(t.client, input, { taskQueue: t.taskQueue, workflowId });
  expect((await failureOf(failed)).type).toBe('CliveBadRequest');
  const before = await failed.query(progressQuery);

  const corrected = {
    ...input,
    clive: { clientId, legalName: 'Acme Payments Inc.', partnerFeePercentage: 4 },
  };
  const rerun = await startOnboarding(t.client, corrected, { taskQueue: t.taskQueue, workflowId });
  const result = await rerun.result();

  expect(result).toMatchObject({
    clientEntityId: before.clientEntityId,
    applicationId: before.applicationId,
    accountId: before.accountId,
  });
  expect(result.cliveClientId).toBeDefined();
  expect(t.sim.control.state()).toMatchObject({
    clients: 1,
    submissions: 1,
    accounts: { total: 1 },
    cliveClients: 1,
  });
});

test('a re-run with corrected business details is a new request: Circle holds other details, so it is refused', async () => {
  const input = onboardingInput({ tag: '[deny]' });
  const workflowId = `test-${randomUUID()}`;
  const denied = await startOnboarding(t.client, input, { taskQueue: t.taskQueue, workflowId });
  expect((await failureOf(denied)).type).toBe('ApplicationDenied');
  const first = await denied.query(progressQuery);

  const corrected = {
    ...input,
    client: {
      ...input.client,
      businessDetails: { ...input.client.businessDetails, institutionType: 'publicCo' },
    },
  } as OnboardingInput;
  const rerun = await startOnboarding(t.client, corrected, { taskQueue: t.taskQueue, workflowId });
  const failure = await failureOf(rerun);
  expect(failure.type).toBe('AdoptionMismatch');
  expect(failure.details?.[0]).toMatchObject({
    clientEntityId: first.clientEntityId,
    fields: ['institutionType'],
  });
  const second = await rerun.query(progressQuery);
  expect(second.idempotencyKeys.createClient).not.toBe(first.idempotencyKeys.createClient);
  expect(t.sim.control.state()).toMatchObject({ clients: 1, submissions: 1 });
});

test('a second start argument from outside fails InvalidOnboardingInput before any side effect', async () => {
  const handle = await t.client.workflow.start(WORKFLOW_TYPE, {
    taskQueue: t.taskQueue,
    workflowId: `test-${randomUUID()}`,
    args: [onboardingInput(), { version: 1, input: {}, state: { step: 'account' } }],
  });
  const failure = await failureOf(handle as OnboardingHandle);
  expect(failure.type).toBe('InvalidOnboardingInput');
  expect(failure.message).toMatch(/second start argument/);
  expect(t.sim.control.state().clients).toBe(0);
});

test('an update sent with the start is served (handlers exist before the first await)', async () => {
  const input = onboardingInput();
  const { basicBusinessInfo, ...rest } = input.sections as Record<string, Record<string, unknown>>;
  const startOp = new WithStartWorkflowOperation(WORKFLOW_TYPE, {
    taskQueue: t.taskQueue,
    workflowId: `test-${randomUUID()}`,
    args: [{ ...input, sections: rest }],
    workflowIdConflictPolicy: 'FAIL',
  });
  const reply = await t.client.workflow.executeUpdateWithStart(provideSectionDataUpdate, {
    args: [{ sections: { basicBusinessInfo: basicBusinessInfo! } }],
    startWorkflowOperation: startOp,
  });
  // The reply describes the application after this data was checked and saved, not before.
  expect(reply.version).toBe(1);
  expect(reply.sectionErrors).toEqual([]);
  expect(reply.sections.every((s) => s.status === 'complete')).toBe(true);
  await expect((await startOp.workflowHandle()).result()).resolves.toMatchObject({ submissionRounds: 1 });
});

test('an RFI answer signalled before the workflow has listed the RFIs is kept and applied', async () => {
  // Slow polls and a manual review: the RFI is raised after the workflow's first status read, so the
  // workflow learns of it only when woken, after the answer is already in.
  const input = onboardingInput({ tag: '[manual]' });
  const slow = { ...input.options, pollInterval: '1 minute', maxPollInterval: '1 minute' };
  const handle = await start(t, { ...input, options: slow });
  const { applicationId } = await waitForProgress(handle, (p) => p.step === 'in-review' && p.polls >= 1);
  t.sim.control.setReviewPlan(applicationId!, ['approve']); // the resubmission is approved
  t.sim.control.review(applicationId!, { outcome: 'rfi' });
  const rfiId = await eventuallyOpenRfi(applicationId!);

  await handle.signal(rfiAnsweredSignal, { rfiId, answer: { website: 'https://acme.example.org' } });
  const kept = await waitForProgress(handle, (p) => p.pendingRfiAnswers.includes(rfiId));
  expect(kept.step).toBe('in-review'); // kept before the workflow knew of the RFI

  // Wake the slow polls as Circle's notifications would, until the onboarding ends.
  const waking = setInterval(
    () => void handle.signal(applicationStatusChangedSignal).catch(() => undefined),
    200,
  );
  const result = await handle.result().finally(() => clearInterval(waking));
  expect(result).toMatchObject({ submissionRounds: 2 });
  expect(t.sim.control.state()).toMatchObject({ submissions: 2, accounts: { total: 1 } });
});

test('a 409 on an RFI answer is not taken as answered unless Circle shows the RFI responded', async () => {
  const handle = await start(t, onboardingInput({ tag: '[rfi]' }));
  const { rfis, applicationId } = await waitForStep(handle, 'awaiting-rfi-answers');
  const rfiId = rfis[0]!.rfiId;
  t.sim.control.setFaults([
    {
      method: 'PATCH',
      path: `/v1/onboarding/partner/applications/${applicationId}/rfis/${rfiId}`,
      mode: 'error',
      status: 409,
      times: 1,
    },
  ]);
  const refused = await handle
    .executeUpdate(answerRfiUpdate, { args: [{ rfiId, answer: { website: 'https://acme.example.com' } }] })
    .then(
      () => undefined,
      (e: WorkflowUpdateFailedError) => e.cause as ApplicationFailure,
    );
  expect(refused?.type).toBe('RfiAnswerRejected');
  expect((await handle.query(progressQuery)).rfis[0]).toMatchObject({ rfiId, state: 'open' });
  expect(t.sim.control.state().submissions).toBe(1); // no resubmission on a false "answered"

  await handle.executeUpdate(answerRfiUpdate, {
    args: [{ rfiId, answer: { website: 'https://acme.example.com' } }],
  });
  await expect(handle.result()).resolves.toMatchObject({ submissionRounds: 2 });
});

test('messages are refused with typed reasons, and a refused signal is shown in progress', async () => {
  const handle = await start(t, onboardingInput({ tag: '[rfi]' }));
  const { rfis } = await waitForStep(handle, 'awaiting-rfi-answers');
  const rejection = (answer: RfiAnswer) =>
    handle.executeUpdate(answerRfiUpdate, { args: [answer] }).then(
      () => 'accepted',
      (e: WorkflowUpdateFailedError) => (e.cause as ApplicationFailure).type,
    );
  const rfiId = rfis[0]!.rfiId;
  expect(await rejection({ rfiId, answer: { website: 'x'.repeat(70_000) } })).toBe('PayloadTooLarge');
  expect(await rejection({ rfiId: 'no-such-rfi', answer: { website: 'https://a.example' } })).toBe(
    'RfiNotOpen',
  );
  expect(await rejection({ rfiId, answer: {} })).toBe('InvalidRfiAnswer');
  const sections = await handle
    .executeUpdate(provideSectionDataUpdate, { args: [{ sections: { basicBusinessInfo: {} } }] })
    .then(
      () => 'accepted',
      (e: WorkflowUpdateFailedError) => (e.cause as ApplicationFailure).type,
    );
  expect(sections).toBe('SectionsNotAccepted');

  await handle.signal(rfiAnsweredSignal, { rfiId: 'no-such-rfi', answer: { website: 'https://a.example' } });
  const progress = await waitForProgress(handle, (p) => p.errors.some((e) => e.type === 'RfiNotOpen'));
  expect(progress.errors.find((e) => e.type === 'RfiNotOpen')?.message).toMatch(/no-such-rfi/);
  await handle.terminate('test done');
});

test('after continue-as-new the run shows its step and summary again', async () => {
  const input = onboardingInput({ tag: '[manual]' });
  const handle = await start(t, { ...input, options: { ...input.options, maxHistoryEvents: 100 } });
  const continued = await eventually(async () => {
    const d = await handle.describe();
    return d.runId !== handle.firstExecutionRunId ? d : undefined;
  });
  const metadata = await t.client.workflow
    .getHandle(handle.workflowId, continued.runId)
    .query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  expect(metadata.currentDetails).toMatch(/Onboard US paymentProcessorPlatform client with Circle/);
  expect(metadata.currentDetails).toMatch(/\*\*in-review\*\*/);
  await handle.terminate('test done');
});

async function eventuallyOpenRfi(applicationId: string): Promise<string> {
  return eventually(async () => {
    const res = await fetch(`${t.sim.url}/v1/onboarding/partner/applications/${applicationId}/rfis`, {
      headers: { Authorization: 'Bearer TEST_API_KEY:local:simulator' },
    });
    const body = (await res.json()) as { data: { bundles: { rfis: { rfiId: string; status: string }[] }[] } };
    return body.data.bundles.flatMap((b) => b.rfis).find((r) => r.status === 'PENDING')?.rfiId;
  });
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}
